import Foundation

/// One row of the history table (`schema_migrations`).
public struct HistoryRecord: Sendable, Hashable, Codable {
    /// Whether the migration is applied or its last attempt failed.
    public enum Status: String, Sendable, Hashable, Codable {
        case applied
        /// The last attempt failed and was rolled back; the migration is not applied.
        case failed
    }

    /// The migration's number.
    public var version: Int
    /// Its description.
    public var description: String
    /// SHA-256 of the up file, lowercase hex.
    public var checksum: String
    /// When it was applied (or failed).
    public var appliedAt: Date
    /// How long it ran.
    public var executionMilliseconds: Int
    /// Applied, or failed.
    public var status: Status
    /// For a failed attempt: what failed, where.
    public var error: String?

    /// A history row.
    public init(
        version: Int, description: String, checksum: String, appliedAt: Date, executionMilliseconds: Int, status: Status, error: String? = nil
    ) {
        self.version = version
        self.description = description
        self.checksum = checksum
        self.appliedAt = appliedAt
        self.executionMilliseconds = executionMilliseconds
        self.status = status
        self.error = error
    }
}

/// What applying a migration does to the history table, in the same transaction.
public enum HistoryChange: Sendable, Hashable {
    /// Up: record the migration as applied (replacing a failed attempt).
    case record(HistoryRecord)
    /// Down: forget the migration.
    case remove(version: Int)
}
