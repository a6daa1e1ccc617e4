import Testing

@testable import SQLSyntax

@Suite struct StatementSplitterTests {
    func texts(_ sql: String) throws -> [String] {
        try StatementSplitter.split(sql).map(\.text)
    }

    @Test func splitsAtTopLevelSemicolonsOnly() throws {
        let sql = """
            -- header; with a semicolon
            INSERT INTO t VALUES ('a;b', "c;d");
            /* ; */ UPDATE t SET x = 1;;
            SELECT 1
            """
        #expect(try texts(sql) == ["INSERT INTO t VALUES ('a;b', \"c;d\")", "UPDATE t SET x = 1", "SELECT 1"])
    }

    @Test func triggerBodiesStayWhole() throws {
        let sql = """
            CREATE TRIGGER t_audit AFTER UPDATE ON t BEGIN
              INSERT INTO log VALUES (CASE WHEN NEW.x > 0 THEN 'up' ELSE 'down' END);
              UPDATE t SET y = 1 WHERE id = NEW.id;
            END;
            SELECT 2;
            """
        let statements = try texts(sql)
        #expect(statements.count == 2)
        #expect(statements[0].hasSuffix("END"))
        #expect(statements[1] == "SELECT 2")
    }

    @Test func dollarBodiesStayWhole() throws {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql; SELECT 3;"
        #expect(try texts(sql).count == 2)
    }

    @Test func beginAtomicBodies() throws {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3;"
        #expect(try texts(sql) == ["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", "SELECT 3"])
    }

    @Test func unterminatedTriggerBodyIsAnError() {
        #expect(throws: SQLSyntaxError.self) {
            try StatementSplitter.split("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;")
        }
    }

    @Test func commentsOnlyFileHasNoStatements() throws {
        #expect(try texts("-- Migration: x\n-- Created: y\n\n").isEmpty)
    }
}
