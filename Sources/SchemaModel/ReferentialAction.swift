/// What a foreign key does when the referenced row is deleted or updated.
public enum ReferentialAction: String, Sendable, Hashable, CaseIterable {
    case noAction = "NO ACTION"
    case restrict = "RESTRICT"
    case cascade = "CASCADE"
    case setNull = "SET NULL"
    case setDefault = "SET DEFAULT"
}
