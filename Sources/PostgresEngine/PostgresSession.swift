import Foundation
import Logging
import MigrationEngine
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
    /// URLs this process found not to be behind a transaction pooler.
    private static let checked = CheckedURLs()

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
        try await execute(PostgresQuery(unsafeSQL: sql))
    }

    /// Runs one statement with its bind parameters (`$1`, ...), discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        let started = Date()
        defer { traced(query.sql, started: started) }
        let connection = try await open()
        do {
            let rows = try await connection.query(query, logger: logger)
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
            // Collected in one go, then decoded without an await per row.
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            var result: [[String?]] = []
            result.reserveCapacity(rows.count)
            for row in rows {
                var values: [String?] = []
                values.reserveCapacity(row.count)
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

    /// The connection being opened, so that two callers that find none (the actor lets a
    /// second one in while the first waits for the server) share it instead of each opening
    /// one and dropping the other unclosed, which PostgresNIO traps on.
    private var opening: Task<PostgresConnection, any Error>?

    private func open() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if let opening { return try await opening.value }
        let task = Task { try await self.connect() }
        opening = task
        defer { opening = nil }
        let opened = try await task.value
        connection = opened
        return opened
    }

    /// A new connection, checked and with the URL's schema as its `search_path`.
    private func connect() async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        let tls = try Self.tls(url.sslMode)
        if let socket = url.socketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            configuration = .init(
                host: url.host ?? "localhost", port: url.port, username: url.user, password: url.password,
                database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", url.applicationName)]
        let opened: PostgresConnection
        do {
            opened = try await PostgresConnection.connect(configuration: configuration, id: Self.nextID.next(), logger: logger)
        } catch {
            throw EngineError.connection(PostgresFailure.connection(url: url, error).message)
        }
        do {
            if !Self.checked.contains(url.description) {
                try await Self.refuseTransactionPooling(opened, configuration: configuration, logger: logger)
                Self.checked.insert(url.description)
            }
        } catch {
            try? await opened.close()
            throw error
        }
        do {
            let quoted = "\"" + url.schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let rows = try await opened.query(PostgresQuery(unsafeSQL: "SET search_path TO \(quoted)"), logger: logger)
            for try await _ in rows {}
        } catch {
            try? await opened.close()
            throw PostgresFailure(error)
        }
        return opened
    }

    /// Refuses a server reached through a pooler in transaction or statement mode (PgBouncer
    /// `pool_mode = transaction`), before this session sets or locks anything: there each
    /// transaction may run on another server session, so the migrator's advisory lock, its
    /// `search_path` and `lock_timeout` would neither hold nor stay on this connection.
    /// Both connections ask the server which backend serves them, in turns, eight times: a
    /// direct or session-pooled connection has a backend of its own for its whole life, so
    /// each sees one backend and never the other's. Through a transaction pooler the second
    /// one is given the backend the first just released (PgBouncer hands out the most
    /// recently used one), or other clients' traffic moves them between backends.
    private static func refuseTransactionPooling(
        _ first: PostgresConnection, configuration: PostgresConnection.Configuration, logger: Logger
    ) async throws {
        func backend(_ connection: PostgresConnection) async throws -> String? {
            var pid: String?
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT pg_backend_pid()::text"), logger: logger) {
                pid = try row.decode(String?.self)
            }
            return pid
        }
        var firstBackends: Set<String> = []
        var secondBackends: Set<String> = []
        let second: PostgresConnection
        do {
            if let pid = try await backend(first) { firstBackends.insert(pid) }
            second = try await PostgresConnection.connect(configuration: configuration, id: nextID.next(), logger: logger)
        } catch {
            throw PostgresFailure(error)
        }
        do {
            for _ in 0..<8 {
                if let pid = try await backend(second) { secondBackends.insert(pid) }
                if let pid = try await backend(first) { firstBackends.insert(pid) }
            }
        } catch {
            try? await second.close()
            throw PostgresFailure(error)
        }
        try? await second.close()
        if firstBackends.count > 1 || secondBackends.count > 1 || !firstBackends.isDisjoint(with: secondBackends) {
            throw EngineError.unusableConnection(
                """
                the database is reached through a connection pooler in transaction or statement mode (PgBouncer \
                pool_mode = transaction): consecutive statements ran on different server sessions, so the migrator lock, \
                search_path and lock_timeout cannot hold; nothing was changed. Connect migrate to PostgreSQL directly, \
                or through a pool in session mode
                """)
        }
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

    private final class CheckedURLs: @unchecked Sendable {
        private var urls: Set<String> = []
        private let lock = NSLock()
        func contains(_ url: String) -> Bool { lock.withLock { urls.contains(url) } }
        func insert(_ url: String) { _ = lock.withLock { urls.insert(url) } }
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
