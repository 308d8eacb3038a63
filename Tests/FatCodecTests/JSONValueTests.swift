import FatCodec
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test func bigIntegersKeepEveryDigit() throws {
        let text = #"{"max":340282366920938463463374607431768211455,"list":[1,-2.5e3,true,null,"a\"b\u00e9"]}"#
        let value = try JSONValue.parse(text)
        #expect(value["max"] == .number("340282366920938463463374607431768211455"))
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(value["list"]?.arrayValue?.last == .string("a\"bé"))
    }

    @Test func malformedJSONNamesTheOffset() {
        do {
            _ = try JSONValue.parse("[1, 2,, 3]")
            Issue.record("parsed")
        } catch let error as JSONParseError {
            #expect(error.offset == 6)
        } catch { Issue.record("\(error)") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("{\"a\": 1} x") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 600)) }
    }
}
