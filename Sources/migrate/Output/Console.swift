import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the CLI writes: emoji only on a terminal and never with NO_COLOR; JSON documents.
struct Console {
    let format: OutputFormat
    let fancy: Bool

    init(format: OutputFormat) {
        self.format = format
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        fancy = format == .text && isatty(STDOUT_FILENO) == 1 && !noColor
    }

    /// The emoji on a terminal, else the plain word (or nothing).
    func icon(_ emoji: String, plain: String = "") -> String {
        fancy ? emoji : plain
    }

    /// `emoji text` on a terminal, `text` otherwise.
    func titled(_ emoji: String, _ text: String) -> String {
        fancy ? "\(emoji) \(text)" : text
    }

    func line(_ text: String = "") {
        OutputStream.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Text as it is (it carries its own newlines).
    func write(_ text: String) {
        OutputStream.standardOutput.write(Data(text.utf8))
    }

    /// One JSON document on one line, so that progress lines and the result can be read line by line.
    func json<T: Encodable>(_ value: T) {
        jsonLine(value)
    }

    func jsonLine<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        if let data = try? encoder.encode(value) {
            OutputStream.standardOutput.write(data + Data("\n".utf8))
        }
    }

    /// One line on standard error, prefixed `warning:`.
    static func warning(_ message: String) {
        OutputStream.standardError.write(Data(("warning: " + message + "\n").utf8))
    }

    /// One line on standard error, prefixed `error:`.
    static func error(_ message: String) {
        OutputStream.standardError.write(Data(("error: " + message + "\n").utf8))
    }
}
