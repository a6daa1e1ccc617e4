import Foundation
import MigrationEngine
import Testing

@testable import MigrationKit

@Suite struct MigrationSelectionTests {
    func file(_ version: Int, checksum: String = "c") -> MigrationFile {
        MigrationFile(
            version: version, id: String(format: "%03d", version), slug: "m\(version)", description: "m\(version)",
            upPath: "u", downPath: "d", upText: "", downText: "", checksum: checksum)
    }

    func record(_ version: Int, _ status: HistoryRecord.Status = .applied, checksum: String = "c") -> HistoryRecord {
        HistoryRecord(version: version, description: "r\(version)", checksum: checksum, appliedAt: Date(), executionMilliseconds: 0, status: status)
    }

    @Test func everyStatus() {
        let states = MigrationSelection.states(
            files: [file(1), file(2, checksum: "new"), file(3), file(5)],
            history: [record(1), record(2, checksum: "old"), record(3, .failed), record(4)])
        #expect(states.map(\.id) == ["001", "002", "003", "004", "005"])
        #expect(states.map(\.status) == [.applied, .modified, .failed, .missing, .pending])
    }

    @Test func outOfOrderPendingMigrationsAreApplied() throws {
        let states = MigrationSelection.states(files: [file(1), file(2), file(3)], history: [record(1), record(3)])
        #expect(try MigrationSelection.toApply(states, upTo: nil).map(\.version) == [2])
    }

    @Test func revertingAMissingMigrationIsBlocked() {
        let states = MigrationSelection.states(files: [file(1)], history: [record(1), record(2)])
        #expect(throws: MigrationError.self) { try MigrationSelection.toRevert(states, count: 1) }
    }
}
