import MigrationEngine
import SchemaDiff
import SchemaModel

/// Which migrations a command works on, pure: files and history in, states and what to
/// run out.
enum MigrationSelection {
    /// Every migration known to the directory or the history, ordered by number.
    static func states(files: [MigrationFile], history: [HistoryRecord]) -> [MigrationState] {
        let records = Dictionary(history.map { ($0.version, $0) }, uniquingKeysWith: { _, last in last })
        var states: [MigrationState] = files.map { file in
            let record = records[file.version]
            let status: MigrationState.Status
            switch record?.status {
            case .applied?: status = record?.checksum == file.checksum ? .applied : .modified
            case .failed?: status = .failed
            case nil: status = .pending
            }
            return MigrationState(id: file.id, version: file.version, description: file.description, status: status, record: record, file: file)
        }
        let known = Set(files.map(\.version))
        for record in history where !known.contains(record.version) && record.status == .applied {
            states.append(
                MigrationState(
                    id: paddedID(record.version, like: files), version: record.version,
                    description: record.description, status: .missing, record: record, file: nil))
        }
        return states.sorted { $0.version < $1.version }
    }

    /// The migrations not applied yet (pending, or whose last attempt failed), in order:
    /// what `up` runs, `plan` builds on and `check` reports.
    static func pending(_ states: [MigrationState]) -> [MigrationState] {
        states.filter(\.isPending)
    }

    /// The migrations `up` applies, in order.
    /// - Parameter target: apply up to and including this number.
    /// - Throws: `MigrationError.modified` when an applied file changed; `.invalidInput`
    ///   when `target` names no migration.
    static func toApply(_ states: [MigrationState], upTo target: Int?) throws -> [MigrationFile] {
        let modified = states.filter { $0.status == .modified }
        guard modified.isEmpty else { throw MigrationError.modified(modified.map(\.id)) }
        if let target, !states.contains(where: { $0.version == target }) {
            throw MigrationError.unknownTarget(target)
        }
        return pending(states).filter { $0.version <= (target ?? Int.max) }.compactMap(\.file)
    }

    /// A warning for each migration about to be applied whose number is below one already
    /// applied (a branch merged late): it runs, after the later ones, unless `--strict`.
    static func outOfOrder(_ files: [MigrationFile], history: [HistoryRecord]) -> [LintFinding] {
        guard let highest = history.filter({ $0.status == .applied }).map(\.version).max() else { return [] }
        return files.filter { $0.version < highest }.map { file in
            LintFinding(
                rule: "out-of-order", severity: .warning, file: file.upPath, location: SourceLocation(line: 1, column: 1),
                message: "migration \(file.id) (\(file.description)) is numbered below migration \(paddedID(highest, like: [file])), "
                    + "which is already applied; it runs now, after it",
                fix: "renumber it above \(paddedID(highest, like: [file])) if it depends on the order (`--strict` refuses to run it)")
        }
    }

    /// The migrations `down` reverts, newest first.
    /// - Throws: `MigrationError.blocked` when one of them has no files any more.
    static func toRevert(_ states: [MigrationState], count: Int) throws -> [MigrationFile] {
        let applied = states.filter { [.applied, .modified, .missing].contains($0.status) }.sorted { $0.version > $1.version }
        return try applied.prefix(count).map { state in
            guard let file = state.file else {
                throw MigrationError.blocked(
                    "cannot revert migration \(state.id) (\(state.description)): its files are missing from the migrations directory")
            }
            return file
        }
    }

    static func paddedID(_ version: Int, like files: [MigrationFile]) -> String {
        paddedID(version, width: max(3, files.map(\.id.count).max() ?? 3))
    }

    /// `version` zero-padded to `width` digits.
    static func paddedID(_ version: Int, width: Int) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
