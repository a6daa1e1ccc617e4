import SchemaModel

/// One step of a plan: a change with its SQL both ways.
public struct PlannedStep: Sendable, Hashable {
    /// What the step changes.
    public var change: SchemaChange
    /// The statements that make the change, in order.
    public var up: [String]
    /// The statements that undo it, in order.
    public var down: [String]
    /// One line for the migration file and the terminal.
    public var comment: String
    /// How it runs: `instant`, `online`, `blocking` or `destructive`.
    public var safety: Strategy
    /// Why the down cannot bring everything back, when it cannot (a dropped table's rows).
    public var downCaveat: String?
    /// Each up statement's lock, work and estimate (`StatementCost.summary`), written as a
    /// comment above it; empty until the workflow reads the live table sizes.
    public var upCosts: [String?] = []
    /// The same for the down statements.
    public var downCosts: [String?] = []

    /// A step.
    public init(change: SchemaChange, up: [String], down: [String], comment: String, safety: Strategy, downCaveat: String? = nil) {
        self.change = change
        self.up = up
        self.down = down
        self.comment = comment
        self.safety = safety
        self.downCaveat = downCaveat
    }

    /// `statements` each after its cost comment, if it has one.
    static func render(_ statements: [String], costs: [String?]) -> String {
        statements.enumerated().map { i, sql in
            (i < costs.count ? costs[i].map { "-- \($0)\n" } ?? "" : "") + sql + ";"
        }.joined(separator: "\n")
    }
}

/// The ordered steps that turn one schema into another.
public struct Plan: Sendable, Hashable {
    /// The steps, in the order they run.
    public var steps: [PlannedStep]

    /// Statements both files start with, with the comment above them.
    public struct Preamble: Sendable, Hashable {
        /// One line, without `-- `.
        public var comment: String
        /// The statements, without their semicolons.
        public var statements: [String]

        /// A preamble.
        public init(comment: String, statements: [String]) {
            self.comment = comment
            self.statements = statements
        }
    }

    /// What both files start with (PostgreSQL: `SET lock_timeout`); none for an empty plan.
    public var preamble: Preamble?

    /// A plan of `steps`.
    public init(steps: [PlannedStep], preamble: Preamble? = nil) {
        self.steps = steps
        self.preamble = steps.isEmpty ? nil : preamble
    }

    private var preambleSQL: String {
        guard let preamble else { return "" }
        return "-- \(preamble.comment)\n" + preamble.statements.map { $0 + ";\n" }.joined() + "\n"
    }

    /// Whether there is nothing to do.
    public var isEmpty: Bool { steps.isEmpty }

    /// The steps that lose data.
    public var destructiveSteps: [PlannedStep] { steps.filter { $0.safety == .destructive } }

    /// The body of the up file: one comment line per step, then its statements.
    public var upSQL: String {
        preambleSQL
            + steps.enumerated().map { n, step in
                "-- \(n + 1). \(step.comment) [\(step.safety.rawValue)]\n" + PlannedStep.render(step.up, costs: step.upCosts)
            }.joined(separator: "\n\n")
    }

    /// The body of the down file: the steps' inverses in reverse order.
    public var downSQL: String {
        preambleSQL
            + steps.enumerated().reversed().map { n, step in
                var text = "-- Undo \(n + 1). \(step.comment)\n"
                if let caveat = step.downCaveat { text += "-- Note: \(caveat)\n" }
                return text + PlannedStep.render(step.down, costs: step.downCosts)
            }.joined(separator: "\n\n")
    }
}
