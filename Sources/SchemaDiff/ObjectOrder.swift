import SchemaModel

/// Where the planner puts changes to objects other than tables. Prerequisites (schemas,
/// extensions, types, domains, sequences, functions whose body need not see the tables)
/// are created before the tables and dropped after them; dependents (views, triggers,
/// policies, comments, SQL functions over tables) are created after the tables and dropped
/// before them. Within a group, what an object uses comes first (`references`), so a view
/// over a view follows it, and drops run the other way.
struct ObjectOrder {
    /// Lowercased table names of both schemas.
    let tables: Set<String>
    private var creates: [SchemaChange] = []
    private var drops: [SchemaChange] = []

    init(tables: Set<String>) {
        self.tables = tables
    }

    mutating func add(_ change: SchemaChange) {
        if case .dropObject = change { drops.append(change) } else { creates.append(change) }
    }

    var dependentDrops: [SchemaChange] { Self.sorted(drops.filter { !isPrerequisite($0) }).reversed() }
    var dependentCreates: [SchemaChange] { Self.sorted(creates.filter { !isPrerequisite($0) }) }
    var prerequisiteCreates: [SchemaChange] { Self.sorted(creates.filter(isPrerequisite)) }
    /// Prerequisites dropped to be created again: before the creates.
    var replacedPrerequisiteDrops: [SchemaChange] { Self.sorted(drops.filter { isPrerequisite($0) && isRecreated($0) }).reversed() }
    /// Prerequisites that go: last, once no table or column uses them.
    var prerequisiteDrops: [SchemaChange] { Self.sorted(drops.filter { isPrerequisite($0) && !isRecreated($0) }).reversed() }

    private func isRecreated(_ change: SchemaChange) -> Bool {
        guard let key = Self.object(change)?.key else { return false }
        return creates.contains { Self.object($0)?.key == key }
    }

    func isPrerequisite(_ change: SchemaChange) -> Bool {
        guard let object = Self.object(change) else { return false }
        switch object.kind {
        case .schema, .extension, .type, .domain: return true
        case .sequence: return !object.sql.uppercased().contains("OWNED BY")
        case .function, .procedure:
            let text = object.sql.lowercased()
            let bodyIsChecked = text.contains("language sql") || text.contains("language 'sql'") || text.contains("begin atomic")
            return !(bodyIsChecked && !object.references.isDisjoint(with: tables))
        default: return false
        }
    }

    static func object(_ change: SchemaChange) -> SchemaObject? {
        switch change {
        case .createObject(let o), .dropObject(let o), .changeObject(_, let o): o
        default: nil
        }
    }

    /// What an object uses before it; ties by kind, then name.
    static func sorted(_ changes: [SchemaChange]) -> [SchemaChange] {
        let kinds = SchemaObject.Kind.allCases
        var remaining = changes.sorted { a, b in
            guard let x = object(a), let y = object(b) else { return false }
            let (kx, ky) = (kinds.firstIndex(of: x.kind) ?? 0, kinds.firstIndex(of: y.kind) ?? 0)
            return kx != ky ? kx < ky : x.key < y.key
        }
        var ordered: [SchemaChange] = []
        var placed: Set<String> = []
        // How many changes still to place carry each name.
        var waiting: [String: Int] = [:]
        for change in remaining { if let o = object(change) { waiting[o.name.lowercased(), default: 0] += 1 } }
        while !remaining.isEmpty {
            let next =
                remaining.firstIndex { change in
                    guard let o = object(change) else { return true }
                    let own = o.name.lowercased()
                    return !o.references.contains { $0 != own && (waiting[$0] ?? 0) > 0 && !placed.contains($0) }
                } ?? 0
            let change = remaining.remove(at: next)
            if let o = object(change) {
                placed.insert(o.name.lowercased())
                waiting[o.name.lowercased(), default: 1] -= 1
            }
            ordered.append(change)
        }
        return ordered
    }
}
