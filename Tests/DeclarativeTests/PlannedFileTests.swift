import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff
import Testing

/// A planned PostgreSQL file is what runs: for every PostgreSQL case of the round-trip
/// corpus, `up --dry-run` shows each statement of the planned file executed as written,
/// and squawk (the PostgreSQL migration linter) finds nothing lock-related in it.
@Suite struct PlannedFileTests {
    static let cases = (try? EngineCase.all("roundtrip.yaml", "objects.yaml").filter { $0.engine == "postgres" }) ?? []

    /// squawk's rules about locks that a planned file must not fire.
    static let lockRules: Set<String> = [
        "require-concurrent-index-creation", "require-concurrent-index-deletion", "constraint-missing-not-valid",
        "adding-foreign-key-constraint", "adding-not-nullable-field", "disallowed-unique-constraint", "changing-column-type",
        "require-lock-timeout", "adding-field-with-default", "adding-serial-primary-key-field", "syntax-error",
    ]

    @Test(arguments: cases)
    func theFileIsWhatRuns(_ engineCase: EngineCase) async throws {
        let project = try Project(postgres: true)
        try project.setSchema(engineCase.testCase.current)
        _ = try await project.workflow.plan(name: "current", allowDestructive: true, write: true)
        try await project.executor.migrateUp()
        try project.setSchema(engineCase.testCase.desired)
        let planned = try await project.workflow.plan(name: "change", allowDestructive: true, write: true)
        let upFile = try #require(planned.upFile)

        var configuration = project.configuration
        configuration.dryRun = true
        let results = try await MigrationExecutor(configuration: configuration).migrateUp()
        let statements = results.flatMap(\.statements)
        #expect(!statements.isEmpty, "\(engineCase.testDescription)")
        // What PostgreSQL has no statement for: an expand/contract type change (the seed's
        // suffix), a batched backfill of a volatile default, an index on a partitioned
        // table (built per partition, whose partitions may change before `up`).
        for statement in statements where !Self.isExpandContract(statement.source) && !Self.hasNoPostgresForm(statement) {
            let executed = statement.sql.map { Self.normalized(Self.withoutAnnotation($0)) }
            #expect(
                executed == [Self.normalized(statement.source)],
                "\(engineCase.testDescription), line \(statement.location.line): the file says \(statement.source), the engine runs \(statement.sql)")
        }

        guard let squawk = Squawk.path else {
            print("PlannedFileTests: squawk is not installed (scripts/test installs squawk-cli); its checks were skipped")
            return
        }
        let findings = try Squawk.lint(upFile, executable: squawk)
        let byLine = Dictionary(statements.map { ($0.location.line, $0) }, uniquingKeysWith: { first, _ in first })
        var counts: [String: Int] = [:]
        for var finding in findings {
            finding.line += 1  // squawk counts lines from 0
            counts[finding.rule, default: 0] += 1
            guard Self.lockRules.contains(finding.rule) else { continue }
            // A type change squawk cannot tell apart: the expand/contract form, or one
            // PostgreSQL makes without a rewrite (a longer varchar).
            let statement = byLine[finding.line]
            if let statement, Self.isExplained(finding.rule, statement, earlier: statements.prefix { $0.location.line < finding.line }) {
                continue
            }
            Issue.record("\(engineCase.testDescription): squawk \(finding.rule) at line \(finding.line): \(statement?.source ?? "?")")
        }
        print(
            "SQUAWK_COUNTS \(engineCase.testDescription): " + counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        )
    }

    /// Whether a lock finding is squawk not knowing what the engine knows, or what the
    /// plan already says blocks:
    /// - a type change squawk cannot tell apart: the expand/contract form, or one PostgreSQL
    ///   makes without a rewrite (a longer varchar); or a rewrite the plan classes blocking;
    /// - a volatile default the engine backfills in batches;
    /// - an index on a table the same file creates (squawk counts on a transaction around
    ///   the file to see that);
    /// - what PostgreSQL has no online form for (an exclusion constraint), run `blocking`.
    static func isExplained(_ rule: String, _ statement: StatementExecution, earlier: some Sequence<StatementExecution>) -> Bool {
        switch rule {
        case "changing-column-type":
            return isExpandContract(statement.source) || statement.lock.contains("no table rewrite") || statement.lock.contains("table rewrite")
        case "adding-field-with-default":
            return statement.sql.contains { $0.contains("repeated in short transactions") }
        case "require-concurrent-index-creation":
            let words = normalized(statement.source).split(separator: " ")
            guard let on = words.firstIndex(of: "on"), on + 1 < words.count else { return false }
            let table = words[on + 1] == "only" && on + 2 < words.count ? words[on + 2] : words[on + 1]
            return earlier.contains { previous in
                let text = normalized(previous.source)
                return text.hasPrefix("create table \(table) ") || text.hasPrefix("create materialized view \(table) ")
            }
        default:
            return statement.strategy == .blocking
        }
    }

    /// A statement the engine runs as several PostgreSQL has no one statement for.
    static func hasNoPostgresForm(_ statement: StatementExecution) -> Bool {
        statement.sql.contains {
            $0.contains("repeated in short transactions") || $0.contains(" attach partition ") || $0.uppercased().contains(" ATTACH PARTITION ")
        }
    }

    /// `ALTER TABLE ... CONCURRENTLY`: the seed's suffix, kept where PostgreSQL has no
    /// syntax for what runs (the expand/contract type change).
    static func isExpandContract(_ source: String) -> Bool {
        let text = normalized(source)
        return text.hasPrefix("alter table") && text.hasSuffix(" concurrently")
    }

    /// What the dry run adds after a statement (`  -- outside any transaction`).
    static func withoutAnnotation(_ sql: String) -> String {
        sql.range(of: "  -- ").map { String(sql[..<$0.lowerBound]) } ?? sql
    }

    /// One line, single spaces, lowercased, without the trailing semicolon: the engine
    /// folds unquoted words to lowercase, as PostgreSQL reads them.
    static func normalized(_ sql: String) -> String {
        sql.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ";"))
    }
}

/// The squawk linter (PyPI `squawk-cli`; `scripts/test` installs it).
enum Squawk {
    struct Finding: Decodable {
        var line: Int
        var rule: String

        enum CodingKeys: String, CodingKey {
            case line
            case rule = "rule_name"
        }
    }

    static let path: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        let candidates: [String] = folders.map { String($0) + "/squawk" }
        return candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    }()

    /// The findings in `file`, its lines numbered as in the file. The seed's `CONCURRENTLY`
    /// suffix, which squawk cannot parse, is taken off first (the line stays where it is).
    static func lint(_ file: String, executable: String) throws -> [Finding] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("squawk-\(UUID().uuidString).sql").path
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let suffixed = line.hasSuffix(" CONCURRENTLY;") && !line.hasPrefix("CREATE") && !line.hasPrefix("DROP")
            return suffixed ? String(line.dropLast(" CONCURRENTLY;".count)) + ";" : String(line)
        }
        try stripped.joined(separator: "\n").write(toFile: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--reporter", "json", copy]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode([Finding].self, from: data)
    }
}
