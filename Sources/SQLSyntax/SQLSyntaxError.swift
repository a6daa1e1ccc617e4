import Foundation

/// A lexing or parsing error at a place in a SQL source.
///
/// `description` is `file:line:column: message` once a file is attached with `in(file:)`.
public struct SQLSyntaxError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    public var file: String?
    public var location: SourceLocation
    public var message: String

    public init(file: String? = nil, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// The same error, naming `file`.
    public func `in`(file: String) -> SQLSyntaxError {
        var copy = self
        copy.file = file
        return copy
    }

    public var description: String {
        "\(file ?? "<sql>"):\(location.line):\(location.column): \(message)"
    }

    public var errorDescription: String? { description }
}
