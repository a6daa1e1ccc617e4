/// A place in a source file, 1-based, columns counted in characters (Unicode scalars):
/// the one location type of SQL files, desired-state files, lint findings and engine errors.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, when known.
    public var file: String?
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// A place in `file` (or in no file).
    public init(file: String? = nil, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The same place, in `file`.
    public func `in`(file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// `file:line:column`, or `line:column` without a file.
    public var description: String { (file.map { $0 + ":" } ?? "") + "\(line):\(column)" }
}
