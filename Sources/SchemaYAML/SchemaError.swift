import Foundation
import SchemaModel

/// A mistake in a desired-state file, worded for the user with where it is:
/// `schema/app.yaml:12:7: unknown key 'nulable' (did you mean 'nullable'?)`.
public struct SchemaError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// Where, with the file.
    public var location: SourceLocation
    /// What is wrong and what was expected.
    public var message: String
    /// The schema path itself does not exist (the CLI names `--schema`).
    public var isMissingPath = false

    /// An error at `file:line:column`.
    public init(file: String, line: Int, column: Int, message: String) {
        self.init(SourceLocation(file: file, line: line, column: column), message)
    }

    /// An error at `location`.
    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// The file.
    public var file: String { location.file ?? "schema" }
    /// The line.
    public var line: Int { location.line }
    /// The column.
    public var column: Int { location.column }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
    /// Same as `description`.
    public var errorDescription: String? { description }
}

/// Where something is defined in the desired-state files.
public typealias SchemaLocation = SourceLocation

/// Suggestions for misspelt keys.
enum DidYouMean {
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0)) }.filter { $0.1 <= max(2, word.count / 3) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
