import SQLSyntax
import SchemaModel

/// Turns the difference between two schemas into ordered, reversible steps.
///
/// Order (each phase only after the previous one): renames; dropping views, triggers and
/// the other objects that use tables; dropping foreign keys, indexes and constraints
/// (before the columns and tables they use); dropping tables, referencing ones first;
/// creating types, functions, sequences and the other prerequisites; creating tables,
/// referenced ones first (foreign keys in a cycle are added once every table exists); per
/// existing table, column and key changes; new foreign keys; new indexes; creating views,
/// triggers, policies and comments; dropping prerequisites no longer wanted
/// (`ObjectOrder`). A step's down is the inverse change, rendered the same way, and the
/// down file runs them in reverse order.
public struct Planner: Sendable {
    /// Finds the changes.
    public let differ: Differ
    /// The engine the plan is for: which changes rebuild a table there.
    public let engine: any EngineCapabilities

    /// A planner comparing through `comparator`, classifying steps for `engine`.
    public init(comparator: SchemaComparator, engine: any EngineCapabilities) {
        differ = Differ(comparator: comparator)
        self.engine = engine
    }

    /// The plan from `current` to `desired`; empty when they match.
    public func plan(from current: Schema, to desired: Schema) -> Plan {
        let tableChanges = differ.changes(from: current, to: desired)
        let (objectChanges, reasons) = ObjectDiffer(engine: engine).changesWithReasons(from: current, to: desired, tableChanges: tableChanges)
        let changes = Self.order(tableChanges + objectChanges, tables: Set((current.tables + desired.tables).map { $0.name.lowercased() }))
        // Changes to a table created or dropped by the same migration need no CONCURRENTLY,
        // in either direction.
        let createdOrDropped = Set(
            changes.compactMap { change -> String? in
                switch change {
                case .createTable(let t), .dropTable(let t): t.name.lowercased()
                default: nil
                }
            })
        let renderer = StepRenderer(engine: engine, newTables: createdOrDropped, tables: desired.tables)
        var steps = changes.map { change in
            let safety = renderer.safety(change)
            return PlannedStep(
                change: change, up: renderer.statements(change), down: renderer.statements(change.inverse),
                comment: renderer.comment(change), safety: safety, downCaveat: renderer.downCaveat(change, safety: safety))
        }
        Self.explainRecreated(&steps, reasons: reasons, engine: engine)
        let preamble = engine.lockTimeoutStatement.map { statement in
            Plan.Preamble(
                comment: "Each lock below is tried this long at a time and retried until --lock-timeout (the engine reads this line)",
                statements: [statement])
        }
        return Plan(steps: steps, preamble: preamble)
    }

    /// An object dropped only to be created again says why and where it comes back; on an
    /// engine that commits a migration in parts, it is missing in between, and the drop
    /// step is `blocking` for what uses it.
    static func explainRecreated(_ steps: inout [PlannedStep], reasons: [String: String], engine: any EngineCapabilities) {
        func key(_ change: SchemaChange) -> String? {
            switch change {
            case .dropObject(let o), .createObject(let o): o.key
            default: nil
            }
        }
        for (n, step) in steps.enumerated() {
            guard case .dropObject(let object) = step.change, let reason = reasons[object.key],
                let back = steps.indices.first(where: { $0 > n && key(steps[$0].change) == object.key })
            else { continue }
            // Online steps commit on their own: between them the application sees it gone.
            let missing = engine.commitsMigrationInParts && steps[(n + 1)..<back].contains { $0.safety == .online }
            steps[n].comment += " for now: \(reason) (created again in step \(back + 1)\(missing ? "; it is missing until then" : ""))"
            if missing { steps[n].safety = max(steps[n].safety, .blocking) }
            steps[back].comment += " again (dropped in step \(n + 1))"
        }
    }

    /// Sorts changes into phases and breaks foreign key cycles among created or dropped tables.
    /// Objects other than tables go where what they use exists: prerequisites (types,
    /// functions, sequences; `ObjectOrder.isPrerequisite`) before the tables, the rest
    /// (views, triggers, policies, comments) after; drops the other way round.
    static func order(_ changes: [SchemaChange], tables: Set<String> = []) -> [SchemaChange] {
        var phases = Array(repeating: [SchemaChange](), count: 9)
        var creates: [Table] = []
        var drops: [Table] = []
        var objects = ObjectOrder(tables: tables)
        for change in changes {
            switch change {
            case .renameTable: phases[0].append(change)
            case .renameColumn: phases[1].append(change)
            case .dropForeignKey: phases[2].append(change)
            case .dropIndex, .dropCheck, .dropUnique, .dropPrimaryKey: phases[3].append(change)
            case .dropTable(let t): drops.append(t)
            case .createTable(let t): creates.append(t)
            case .dropColumn, .addColumn, .alterColumn, .addPrimaryKey, .addUnique, .addCheck: phases[6].append(change)
            case .addForeignKey: phases[7].append(change)
            case .createIndex: phases[8].append(change)
            case .createObject, .dropObject, .changeObject: objects.add(change)
            }
        }
        // Drop: a table only once nothing left to drop references it.
        let (dropOrder, dropCycles) = topological(drops, referencedFirst: false)
        phases[2] += dropCycles.map { .dropForeignKey(table: $0.table, $0.key) }
        phases[4] = dropOrder.map { .dropTable($0) }
        // Create: a table only once what it references exists.
        let (createOrder, createCycles) = topological(creates, referencedFirst: true)
        phases[5] = createOrder.map { .createTable($0) }
        phases[7] = createCycles.map { .addForeignKey(table: $0.table, $0.key) } + phases[7]
        phases[6] = sortedByTable(phases[6])
        let renames = phases[0] + phases[1]
        let tableDrops = phases[2] + phases[3] + phases[4]
        let rest = phases[6] + phases[7] + phases[8]
        return renames + objects.dependentDrops + tableDrops + objects.replacedPrerequisiteDrops + objects.prerequisiteCreates + phases[5]
            + rest + objects.dependentCreates + objects.prerequisiteDrops
    }

    /// Column and key changes grouped by table (so an engine can do one rebuild per
    /// table), drops before adds within a table.
    static func sortedByTable(_ changes: [SchemaChange]) -> [SchemaChange] {
        func rank(_ change: SchemaChange) -> Int {
            switch change {
            case .dropColumn: 0
            case .addColumn: 1
            case .alterColumn: 2
            case .addPrimaryKey: 3
            case .addUnique: 4
            default: 5
            }
        }
        return changes.enumerated().sorted { a, b in
            let (ta, tb) = (a.element.table.lowercased(), b.element.table.lowercased())
            if ta != tb { return ta < tb }
            if rank(a.element) != rank(b.element) { return rank(a.element) < rank(b.element) }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Tables ordered so that references among them point backwards (`referencedFirst`)
    /// or forwards; foreign keys that close a cycle are taken out of the tables and
    /// returned separately. Each pick is the first table, by name, whose dependencies are
    /// placed; when none is (a cycle), the first table left has its keys into the rest cut.
    /// Kahn's algorithm with the ready tables in a heap: linear in tables and keys up to
    /// the heap's logarithm (a search of every table for every pick was cubic).
    static func topological(_ tables: [Table], referencedFirst: Bool)
        -> ([Table], [(table: String, key: ForeignKey)])
    {
        let names = Set(tables.map(\.name))
        let lookup = TableLookup(tables)
        /// A referenced table's name as one of `tables` spells it.
        func resolve(_ name: String) -> String { names.contains(name) ? name : lookup[name]?.name ?? name.lowercased() }
        var sorted = tables.sorted {
            $0.name.lowercased() != $1.name.lowercased() ? $0.name.lowercased() < $1.name.lowercased() : $0.name < $1.name
        }
        var position: [String: Int] = [:]
        for (i, table) in sorted.enumerated() where position[table.name] == nil { position[table.name] = i }
        // Who depends on whom: creating, a table waits for the tables it references;
        // dropping, for the tables that reference it.
        var waitsFor = Array(repeating: Set<Int>(), count: sorted.count)
        for (i, table) in sorted.enumerated() {
            for key in table.foreignKeys {
                guard let j = position[resolve(key.referencedTable)], j != i else { continue }
                if referencedFirst { waitsFor[i].insert(j) } else { waitsFor[j].insert(i) }
            }
        }
        var unblocks = Array(repeating: [Int](), count: sorted.count)
        for (i, waits) in waitsFor.enumerated() { for j in waits { unblocks[j].append(i) } }
        var waiting = waitsFor.map(\.count)
        var placed = Array(repeating: false, count: sorted.count)
        var ready = MinHeap(sorted.indices.filter { waiting[$0] == 0 })
        var nextUnplaced = 0
        var ordered: [Table] = []
        var cut: [(table: String, key: ForeignKey)] = []
        func place(_ i: Int) {
            placed[i] = true
            ordered.append(sorted[i])
            for k in unblocks[i] where !placed[k] {
                waiting[k] -= 1
                if waiting[k] == 0 { ready.insert(k) }
            }
        }
        while ordered.count < sorted.count {
            if let i = ready.popMin() {
                if !placed[i] { place(i) }
                continue
            }
            // A cycle: take the first table's foreign keys into the rest of the cycle out.
            while placed[nextUnplaced] { nextUnplaced += 1 }
            let i = nextUnplaced
            let me = sorted[i].name
            if referencedFirst {
                let pending = { (name: String) in position[name].map { !placed[$0] && $0 != i } ?? false }
                cut += sorted[i].foreignKeys.filter { pending(resolve($0.referencedTable)) }.map { (me, $0) }
                sorted[i].foreignKeys.removeAll { pending(resolve($0.referencedTable)) }
            } else {
                // Dropping: remove the keys that point at this table from the others still to drop.
                for r in waitsFor[i] where !placed[r] {
                    cut += sorted[r].foreignKeys.filter { resolve($0.referencedTable) == me }.map { (sorted[r].name, $0) }
                    sorted[r].foreignKeys.removeAll { resolve($0.referencedTable) == me }
                }
            }
            place(i)
        }
        return (ordered, cut)
    }
}

/// The smallest of a set of indexes first.
struct MinHeap {
    private var items: [Int] = []

    init(_ values: some Sequence<Int>) {
        for value in values { insert(value) }
    }

    mutating func insert(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count && items[left] < items[smallest] { smallest = left }
                if right < items.count && items[right] < items[smallest] { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
