import MigrationEngine
import MigrationKit
import SchemaDiff

extension Console {
    /// The seed's status table.
    func statusTable(_ states: [MigrationState]) {
        line(titled("📋", "Migration Status"))
        line()
        guard !states.isEmpty else {
            line("No migrations found.")
            return
        }
        let rows = states.map { state in (state.id, statusText(state.status), state.description) }
        let statusWidth = max(8, rows.map { $0.1.count }.max() ?? 8)
        line(pad("Migration ID", 22) + "| " + pad("Status", statusWidth) + " | Description")
        line(String(repeating: "-", count: 22) + "|" + String(repeating: "-", count: statusWidth + 2) + "|" + String(repeating: "-", count: 20))
        for (id, status, description) in rows {
            line(pad(id, 22) + "| " + pad(status, statusWidth) + " | " + description)
        }
        let counts = MigrationState.Status.allCases.compactMap { status -> String? in
            let n = states.filter { $0.status == status }.count
            return n == 0 ? nil : "\(n) \(status.rawValue.lowercased())"
        }
        line()
        line(counts.joined(separator: ", "))
    }

    func statusText(_ status: MigrationState.Status) -> String {
        switch status {
        case .applied: return titled("✅", status.rawValue)
        case .pending: return titled("⏳", status.rawValue)
        case .failed: return titled("❌", status.rawValue)
        case .modified: return titled("⚠️", status.rawValue)
        case .missing: return titled("❓", status.rawValue)
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// `status --format json`.
struct StatusReport: Encodable {
    struct Entry: Encodable {
        var id: String
        var version: Int
        var status: String
        var description: String
        var appliedAt: String?
        var executionMs: Int?
        var checksum: String?
        var error: String?
    }

    struct Interrupted: Encodable {
        var version: Int
        var table: String
        var phase: String
        var rowsDone: Int
        /// Who runs it now; absent when it was interrupted.
        var runningBy: String?
    }

    var migrations: [Entry]
    var interrupted: [Interrupted]

    init(_ states: [MigrationState], interrupted: [InterruptedOperation] = []) {
        self.interrupted = interrupted.map {
            Interrupted(version: $0.version, table: $0.table, phase: $0.phase, rowsDone: $0.rowsDone, runningBy: $0.holder)
        }
        migrations = states.map { state in
            Entry(
                id: state.id, version: state.version, status: state.status.rawValue.lowercased(), description: state.description,
                appliedAt: state.record.map { ISO8601.string($0.appliedAt) }, executionMs: state.record?.executionMilliseconds,
                checksum: state.file?.checksum ?? state.record?.checksum, error: state.record?.error)
        }
    }
}
