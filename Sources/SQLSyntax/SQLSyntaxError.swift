import Foundation
import SchemaModel

/// A lexing or parsing error at a place in a SQL source.
///
/// `description` is `file:line:column: message` once a file is attached with `in(file:)`.
public struct SQLSyntaxError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// Where, with the file once one is attached.
    public var location: SourceLocation
    /// What is wrong and what was expected.
    public var message: String

    /// An error at `location` (in `file`).
    public init(file: String? = nil, location: SourceLocation, message: String) {
        var location = location
        if let file { location.file = file }
        self.location = location
        self.message = message
    }

    /// The file, when attached.
    public var file: String? {
        get { location.file }
        set { location.file = newValue }
    }

    /// The same error, naming `file`.
    public func `in`(file: String) -> SQLSyntaxError {
        var copy = self
        copy.file = file
        return copy
    }

    /// `file:line:column: message`.
    public var description: String {
        "\(file ?? "<sql>"):\(location.line):\(location.column): \(message)"
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
