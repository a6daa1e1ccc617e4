import Foundation

/// A PostgreSQL connection URL: `postgres://user:pass@host:port/db?sslmode=...&search_path=...`
/// (also `postgresql://`), read the way libpq reads it.
///
/// Missing parts default as libpq's do: user `$PGUSER` or `$USER`, password `$PGPASSWORD`,
/// host `localhost` (or the local socket when one exists and no host is given), port 5432,
/// database the user's name, `sslmode=prefer`. `search_path` (or `schema`) picks the schema
/// migrated and inspected (default `public`).
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// `sslmode`, as libpq reads it.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The role to connect as.
    public var user: String
    /// Its password, if any.
    public var password: String?
    /// Nil when connecting through the local Unix socket `socketPath`.
    public var host: String?
    /// The local socket, when connecting through one.
    public var socketPath: String?
    /// The TCP port (also the socket's number).
    public var port: Int
    /// The database name.
    public var database: String
    /// `sslmode`.
    public var sslMode: SSLMode
    /// The schema migrations apply to, inspect reads and the history table lives in.
    public var schema: String
    /// `application_name` the server shows.
    public var applicationName: String
    /// Seconds to wait for the connection.
    public var connectTimeout: Double
    /// The URL as written (with its password), which `redacted` shows without it.
    public let text: String

    /// The query parameters understood; any other is refused, as libpq does.
    static let parameters: Set<String> = [
        "sslmode", "search_path", "schema", "application_name", "connect_timeout", "host", "port", "user", "password", "dbname",
    ]

    /// - Throws: `PostgresURLError` saying what is wrong and what was expected.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        self.text = trimmed
        guard let schemeEnd = trimmed.range(of: "://"),
            ["postgres", "postgresql"].contains(trimmed[..<schemeEnd.lowerBound].lowercased())
        else {
            throw PostgresURLError("expected postgres://user:pass@host:port/db or postgresql://...")
        }
        var rest = String(trimmed[schemeEnd.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = String(rest[..<slash])
        }
        var userInfo: String?
        if let at = rest.lastIndex(of: "@") {
            userInfo = String(rest[..<at])
            rest = String(rest[rest.index(after: at)...])
        }
        var user: String?
        var password: String?
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(String(userInfo[..<colon]), "user name")
                password = try Self.decode(String(userInfo[userInfo.index(after: colon)...]), "password")
            } else {
                user = try Self.decode(userInfo, "user name")
            }
        }
        var host: String?
        var port: Int?
        (host, port) = try Self.hostAndPort(rest)
        var database = path.isEmpty ? nil : try Self.decode(path, "database name")
        var sslMode = SSLMode.prefer
        var schema = "public"
        var applicationName = "migrate"
        var connectTimeout = 10.0
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).lowercased()
            let value = try Self.decode(parts.count > 1 ? String(parts[1]) : "", "value of \(key)")
            guard Self.parameters.contains(key) else {
                throw PostgresURLError("unknown parameter '\(key)'; expected one of \(Self.parameters.sorted().joined(separator: ", "))")
            }
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value.lowercased()) else {
                    throw PostgresURLError("sslmode=\(value): expected one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "search_path", "schema":
                let first = value.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard !first.isEmpty else { throw PostgresURLError("\(key)= is empty; expected a schema name such as public") }
                schema =
                    first.hasPrefix("\"") && first.hasSuffix("\"") && first.count >= 2
                    ? String(first.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : first.lowercased()
            case "application_name": applicationName = value
            case "connect_timeout":
                guard let seconds = Double(value), seconds > 0 else {
                    throw PostgresURLError("connect_timeout=\(value): expected a number of seconds")
                }
                connectTimeout = seconds
            case "host": host = value.isEmpty ? nil : value
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else {
                    throw PostgresURLError("port=\(value): expected a port number from 1 to 65535")
                }
                port = number
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            default: break
            }
        }
        self.user = user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        self.password = password ?? environment["PGPASSWORD"]
        self.port = port ?? 5432
        self.database = database ?? self.user
        self.sslMode = sslMode
        self.schema = schema
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        if let host, host.hasPrefix("/") {
            self.host = nil
            socketPath = host + "/.s.PGSQL.\(self.port)"
        } else if host == nil, FileManager.default.fileExists(atPath: "/var/run/postgresql/.s.PGSQL.\(self.port)") {
            self.host = nil
            socketPath = "/var/run/postgresql/.s.PGSQL.\(self.port)"
        } else {
            self.host = host ?? "localhost"
            socketPath = nil
        }
    }

    /// The URL as written, with any password replaced by `***`.
    public var redacted: String { Self.redacted(text) }

    /// `text` with any password replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    /// The URL without its password, for messages.
    public var description: String {
        let credentials = user + (password == nil ? "" : ":***") + "@"
        let place = host.map { ($0.contains(":") ? "[\($0)]" : $0) + ":\(port)" } ?? "localhost:\(port)"
        let socket = socketPath.map { "?host=" + ($0 as NSString).deletingLastPathComponent } ?? ""
        return "postgres://\(credentials)\(place)/\(database)\(socket)"
    }

    private static func hostAndPort(_ text: String) throws -> (String?, Int?) {
        guard !text.isEmpty else { return (nil, nil) }
        var host = text
        var portText: String?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresURLError("host '\(text)': expected ] after an IPv6 address") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") {
                portText = String(after.dropFirst())
            } else if !after.isEmpty {
                throw PostgresURLError("host '\(text)': expected :port after ]")
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        var port: Int?
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw PostgresURLError("port '\(portText)': expected a port number from 1 to 65535")
            }
            port = number
        }
        return (host.isEmpty ? nil : try decode(host, "host"), port)
    }

    private static func decode(_ text: String, _ what: String) throws -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw PostgresURLError("\(what) has a bad %-escape; expected %XX with two hex digits")
        }
        return decoded
    }
}

/// A PostgreSQL URL that cannot be used, with what was expected.
public struct PostgresURLError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, and what was expected.
    public let description: String
    init(_ description: String) { self.description = description }
}
