/// How a change runs and what it does to the application meanwhile, ordered from lightest
/// to heaviest: the one vocabulary of the planner (a planned step's class), both engines
/// (how a statement runs: `StatementExecution.strategy`) and the output. A statement of
/// several actions takes its heaviest action's strategy (`max`).
public enum Strategy: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Nothing to do (`ADD COLUMN IF NOT EXISTS` of a column that exists).
    case noOp = "no-op"
    /// A catalog edit: no rows are read or written.
    case instant
    /// The engine's own form of the statement, run as written (a new table, a drop).
    case native
    /// A statement the tool does not interpret, run as written.
    case passThrough = "pass-through"
    /// Reads or rewrites rows without blocking reads and writes (online rebuild,
    /// `CONCURRENTLY`, NOT VALID + VALIDATE, expand/contract).
    case online
    /// SQLite's whole-table copy in one transaction: writers wait for it.
    case rebuild
    /// Holds a lock that blocks writers for the length of the work.
    case blocking
    /// Loses data: rows of a dropped table, values of a dropped column or narrowed type.
    case destructive

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Lighter first.
    public static func < (a: Strategy, b: Strategy) -> Bool { a.rank < b.rank }
}
