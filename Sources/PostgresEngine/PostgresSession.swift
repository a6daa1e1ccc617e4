import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to the server, opened on first use, with the schema of the URL as its
/// `search_path`. Every statement is sent as written; results come back as text.
actor PostgresSession {
    let url: PostgresURL
    private var connection: PostgresConnection?
    private let logger = Logger(label: "migrate.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let nextID = Counter()

    init(url: PostgresURL) {
        self.url = url
    }

    deinit {
        // PostgresNIO wants a connection closed before it is released: the task keeps it until then.
        if let connection {
            Task { try? await connection.close() }
        }
    }

    /// Debugging aid: `MIGRATE_TRACE_SQL` prints every statement with its time on standard error.
    private static let trace = ProcessInfo.processInfo.environment["MIGRATE_TRACE_SQL"] != nil

    private func traced(_ sql: String, started: Date) {
        guard Self.trace else { return }
        let line = sql.split(separator: "\n").first.map(String.init) ?? sql
        let stamp = String(format: "%.3f", started.timeIntervalSince1970.truncatingRemainder(dividingBy: 1000))
        FileHandle.standardError.write(Data("sql \(stamp) +\(Int(Date().timeIntervalSince(started) * 1000))ms: \(line.prefix(150))\n".utf8))
    }

    /// Runs one statement, discarding any rows.
    func execute(_ sql: String) async throws {
        let started = Date()
        defer { traced(sql, started: started) }
        let connection = try await open()
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            for try await _ in rows {}
        } catch {
            throw PostgresFailure(error)
        }
    }

    /// Runs one query; every column must be text (cast with `::text` in the query).
    func rows(_ sql: String) async throws -> [[String?]] {
        let started = Date()
        defer { traced(sql, started: started) }
        let connection = try await open()
        do {
            var result: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                var values: [String?] = []
                for cell in row {
                    values.append(try cell.decode(String?.self))
                }
                result.append(values)
            }
            return result
        } catch {
            throw PostgresFailure(error)
        }
    }

    /// The first column of the first row, or nil.
    func value(_ sql: String) async throws -> String? {
        try await rows(sql).first?.first ?? nil
    }

    func close() async {
        try? await connection?.close()
        connection = nil
    }

    private func open() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration: PostgresConnection.Configuration
        let tls = try Self.tls(url.sslMode)
        if let socket = url.socketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            configuration = .init(host: url.host ?? "localhost", port: url.port, username: url.user, password: url.password,
                                  database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", url.applicationName)]
        let opened: PostgresConnection
        do {
            opened = try await PostgresConnection.connect(configuration: configuration, id: Self.nextID.next(), logger: logger)
        } catch {
            throw PostgresFailure.connection(url: url, error)
        }
        connection = opened
        do {
            let quoted = "\"" + url.schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let rows = try await opened.query(PostgresQuery(unsafeSQL: "SET search_path TO \(quoted)"), logger: logger)
            for try await _ in rows {}
        } catch {
            throw PostgresFailure(error)
        }
        return opened
    }

    /// libpq's sslmode: `prefer`/`require` encrypt without checking the certificate,
    /// `verify-ca` checks the chain, `verify-full` the host name too.
    private static func tls(_ mode: PostgresURL.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return .disable
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw PostgresFailure(message: "cannot set up TLS: \(error)", sqlState: nil)
        }
        return [.allow, .prefer].contains(mode) ? .prefer(context) : .require(context)
    }

    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}

/// An error from the server or the connection, worded for users (PostgresNIO hides the
/// server's message from `description`).
struct PostgresFailure: Error, CustomStringConvertible {
    var message: String
    /// The SQLSTATE code, e.g. `55P03` for lock_not_available.
    var sqlState: String?

    init(message: String, sqlState: String?) {
        self.message = message
        self.sqlState = sqlState
    }

    init(_ error: any Error) {
        if let failure = error as? PostgresFailure {
            self = failure
        } else if let error = error as? PSQLError, let info = error.serverInfo {
            var text = info[.message] ?? "server error"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let hint = info[.hint] { text += "; hint: \(hint)" }
            self.init(message: text, sqlState: info[.sqlState])
        } else if let error = error as? PSQLError {
            self.init(message: "PostgreSQL connection error: \(error.code)" + (error.underlying.map { ": \($0)" } ?? ""), sqlState: nil)
        } else {
            self.init(message: "\(error)", sqlState: nil)
        }
    }

    static func connection(url: PostgresURL, _ error: any Error) -> PostgresFailure {
        let reason = PostgresFailure(error).message
        return PostgresFailure(message: "cannot connect to \(url): \(reason)", sqlState: nil)
    }

    /// lock_not_available: a lock wait ran past `lock_timeout`.
    var isLockTimeout: Bool { sqlState == "55P03" }
    /// A deadlock the server broke by failing this transaction; worth a retry.
    var isDeadlock: Bool { sqlState == "40P01" }

    var description: String { message }
}
