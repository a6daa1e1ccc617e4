import Foundation
import MigrationEngine
import SQLSyntax

/// One migration on disk: `NNN_<slug>.up.sql` and its `.down.sql`.
public struct MigrationFile: Sendable, Hashable {
    /// The number in the file name.
    public var version: Int
    /// The number as the file name writes it.
    public var id: String
    /// The file name's part after the number: `create_users`.
    public var slug: String
    /// From the up file's `-- Migration:` header, else the slug in words.
    public var description: String
    /// The up file.
    public var upPath: String
    /// The down file, nil when it is missing.
    public var downPath: String?
    /// The up file's text.
    public var upText: String
    /// The down file's text.
    public var downText: String?
    /// SHA-256 of the up file.
    public var checksum: String

    /// Parses one direction's file.
    /// - Throws: `MigrationError.invalidInput` for a missing file or a syntax error (`file:line:column`).
    func script(_ direction: MigrationDirection) throws -> MigrationScript {
        let path: String
        let text: String
        switch direction {
        case .up:
            (path, text) = (upPath, upText)
        case .down:
            guard let downPath, let downText else {
                let expected = ((upPath as NSString).lastPathComponent as NSString).deletingPathExtension.dropLast(".up".count) + ".down.sql"
                throw MigrationError.invalidInput("\(upPath): migration \(id) has no down file; expected \(expected) beside it")
            }
            (path, text) = (downPath, downText)
        }
        let statements: [ParsedStatement]
        do {
            statements = try Parser.parse(text, file: path)
        } catch {
            throw MigrationError.syntax(error)
        }
        for parsed in statements {
            if case .other(let other) = parsed.statement,
                ["BEGIN", "COMMIT", "ROLLBACK", "END", "SAVEPOINT", "RELEASE", "START"].contains(other.kind)
            {
                throw MigrationError.invalidInput(
                    "\(path):\(parsed.location): transaction control (\(other.kind)) is not allowed; each migration already runs in its own transaction"
                )
            }
        }
        return MigrationScript(version: version, id: id, description: description, direction: direction, file: path, statements: statements)
    }
}

/// The migrations directory: loading, checking names and numbering, creating new pairs.
public enum MigrationDirectory {
    /// Loads every migration, ordered by number.
    /// - Parameter mustExist: whether a missing directory is an error (else it has no migrations).
    /// - Throws: `MigrationError.invalidInput` listing every badly named file, duplicate
    ///   number and down file without an up file.
    public static func load(_ directory: String, mustExist: Bool = false) throws -> [MigrationFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            if mustExist {
                throw MigrationError.noMigrationsDirectory(directory)
            }
            return []
        }
        guard isDirectory.boolValue else {
            throw MigrationError.invalidInput("\(directory): expected a directory of migration files")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        var problems: [String] = []
        var ups: [Int: (name: String, id: String, slug: String)] = [:]
        var downs: [Int: (name: String, id: String, slug: String)] = [:]
        for name in names where name.hasSuffix(".sql") {
            let path = join(directory, name)
            guard let parsed = parseName(name) else {
                problems.append("\(path): expected a name like 001_create_users.up.sql or 001_create_users.down.sql")
                continue
            }
            // The ID is the number zero-padded to at least 3 digits (DESIGN.md), however
            // the file writes it: `1_init.up.sql` is migration 001.
            let entry = (name: name, id: MigrationSelection.paddedID(parsed.version, width: max(3, parsed.id.count)), slug: parsed.slug)
            if parsed.direction == .up {
                if let other = ups[parsed.version] {
                    problems.append("\(path): duplicate migration number \(parsed.version), also used by \(join(directory, other.name))")
                }
                ups[parsed.version] = entry
            } else {
                if let other = downs[parsed.version] {
                    problems.append("\(path): duplicate migration number \(parsed.version), also used by \(join(directory, other.name))")
                }
                downs[parsed.version] = entry
            }
        }
        for (version, down) in downs where ups[version] == nil {
            problems.append("\(join(directory, down.name)): down file without an up file; expected \(down.name.dropLast(".down.sql".count)).up.sql")
        }
        guard problems.isEmpty else { throw MigrationError.invalidInput(problems.sorted().joined(separator: "\n")) }

        return try ups.sorted { $0.key < $1.key }.map { version, up in
            let upPath = join(directory, up.name)
            let data = try read(upPath)
            let upText = text(data)
            let downPath = downs[version].map { join(directory, $0.name) }
            let downText = try downPath.map { text(try read($0)) }
            return MigrationFile(
                version: version, id: up.id, slug: up.slug, description: description(of: upText) ?? up.slug.replacingOccurrences(of: "_", with: " "),
                upPath: upPath, downPath: downPath, upText: upText, downText: downText, checksum: Checksum.sha256(data))
        }
    }

    /// Writes the next `NNN_<slug>.up.sql` / `.down.sql` pair with the seed's header. A
    /// description of several lines becomes one (`oneLine`), so the header stays a comment.
    /// - Returns: the two paths.
    @discardableResult
    public static func create(description: String, in directory: String, upBody: String = "", downBody: String = "", now: Date = Date()) throws -> (
        up: String, down: String
    ) {
        let existing = try load(directory)
        let names = nextNames(description: description, in: directory, existing: existing)
        guard !names.slug.isEmpty else {
            throw MigrationError.invalidInput("migration description '\(oneLine(description))': expected some letters or digits to name the files")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let header = "-- Migration: \(oneLine(description))\n-- Created: \(timestamp(now))\n\n"
        for (path, body) in [(names.up, upBody), (names.down, downBody)] {
            guard FileManager.default.createFile(atPath: path, contents: Data((header + body).utf8)) else {
                throw MigrationError.invalidInput("\(path): cannot write the file")
            }
        }
        return (names.up, names.down)
    }

    /// The number, ID, slug and paths the next migration described by `description` gets:
    /// one more than the highest number, zero-padded to at least 3 digits (or to the
    /// widest ID already there).
    static func nextNames(description: String, in directory: String, existing: [MigrationFile]) -> (
        version: Int, id: String, slug: String, up: String, down: String
    ) {
        let slug = slugify(oneLine(description))
        let next = (existing.last?.version ?? 0) + 1
        let width = max(3, existing.map(\.id.count).max() ?? 3)
        let id = String(repeating: "0", count: max(0, width - String(next).count)) + String(next)
        return (next, id, slug, join(directory, "\(id)_\(slug).up.sql"), join(directory, "\(id)_\(slug).down.sql"))
    }

    /// `text` on one line: every run of whitespace and line breaks becomes one space.
    public static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    // MARK: Helpers

    static func parseName(_ name: String) -> (version: Int, id: String, slug: String, direction: MigrationDirection)? {
        let direction: MigrationDirection
        let stem: Substring
        if name.hasSuffix(".up.sql") {
            direction = .up
            stem = name.dropLast(".up.sql".count)
        } else if name.hasSuffix(".down.sql") {
            direction = .down
            stem = name.dropLast(".down.sql".count)
        } else {
            return nil
        }
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        let rest = stem.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 18, let version = Int(digits), rest.hasPrefix("_"), rest.count > 1 else { return nil }
        return (version, String(digits), String(rest.dropFirst()), direction)
    }

    static func slugify(_ text: String) -> String {
        var slug = ""
        for scalar in text.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            // Letters of every script are kept (`café`, `ユーザー`); the rest separates words.
            if CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("_") {
                slug += "_"
            }
        }
        while slug.hasSuffix("_") { slug.removeLast() }
        return slug
    }

    /// The `-- Migration: <description>` header, if the file starts with one.
    static func description(of text: String) -> String? {
        for line in firstLines(of: text, 5) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("-- Migration:") {
                let value = trimmed.dropFirst("-- Migration:".count).trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// The first `count` non-empty lines of `text`, without splitting the rest (a baseline
    /// file can hold thousands of tables).
    static func firstLines(of text: String, _ count: Int) -> [Substring] {
        var lines: [Substring] = []
        var rest = text[...]
        while lines.count < count, !rest.isEmpty {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            if end > rest.startIndex { lines.append(rest[..<end]) }
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
        }
        return lines
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The file's text, without a UTF-8 byte order mark.
    private static func text(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    private static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MigrationError.invalidInput("\(path): cannot read the file")
        }
        return data
    }
}
