import SchemaModel
import Testing

@testable import SQLSyntax

@Suite struct LexerTests {
    func kinds(_ sql: String) throws -> [Token.Kind] {
        try Lexer.tokenize(sql).map(\.kind)
    }

    @Test func stringsKeepDoubledQuotes() throws {
        let tokens = try Lexer.tokenize("SELECT 'it''s; fine', E'x'")
        #expect(tokens.map(\.text) == ["SELECT", "'it''s; fine'", ",", "E'x'"])
        #expect(tokens[1].kind == .string)
    }

    @Test func quotedIdentifiersUnescape() throws {
        let tokens = try Lexer.tokenize(#""weird ""name" `b` [c d]"#)
        #expect(tokens.map(\.identifierValue) == [#"weird "name"#, "b", "c d"])
        #expect(tokens.allSatisfy { $0.kind == .quotedIdentifier })
    }

    @Test func commentsAreSkippedAndCountAsSpace() throws {
        let tokens = try Lexer.tokenize("a/* x /* nested */ y */b -- tail ; \nc")
        #expect(tokens.map(\.text) == ["a", "b", "c"])
        #expect(tokens[1].spaceBefore)
    }

    @Test func castsNumbersAndParameters() throws {
        let tokens = try Lexer.tokenize("amount::DECIMAL(10,2) 1.5e3 .5 ?1 :name $1")
        #expect(tokens.map(\.text) == ["amount", "::", "DECIMAL", "(", "10", ",", "2", ")", "1.5e3", ".5", "?1", ":name", "$1"])
        #expect(tokens[8].kind == .number)
        #expect(tokens[10].kind == .parameter && tokens[12].kind == .parameter)
    }

    @Test func dollarQuotedBodies() throws {
        let tokens = try Lexer.tokenize("AS $$ BEGIN; END; $$ LANGUAGE sql; $fn$ a $$ b $fn$")
        #expect(tokens[1].text == "$$ BEGIN; END; $$")
        #expect(tokens[1].kind == .dollarString)
        #expect(tokens.last?.text == "$fn$ a $$ b $fn$")
    }

    @Test func locationsAreLineAndColumn() throws {
        let tokens = try Lexer.tokenize("a\n  bé c")
        #expect(
            tokens.map(\.location) == [SourceLocation(line: 1, column: 1), SourceLocation(line: 2, column: 3), SourceLocation(line: 2, column: 6)])
    }

    @Test(arguments: [
        ("SELECT 'open", "1:8", "unterminated string"),
        ("x\n  \"open", "2:3", "unterminated quoted identifier"),
        ("/* open", "1:1", "unterminated /* comment"),
        ("AS $$ body", "1:4", "unterminated $$ body"),
    ])
    func unterminatedInputNamesItsStart(sql: String, place: String, message: String) {
        #expect {
            try Lexer.tokenize(sql)
        } throws: { error in
            let error = error as? SQLSyntaxError
            return error?.location.description == place && error?.message.hasPrefix(message) == true
        }
    }
}
