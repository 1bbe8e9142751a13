@testable import Apus
import Foundation
import Testing

struct Everything: Codable, Equatable, Sendable {
    var text: String
    var unicode: String
    var small: Int8
    var big: Int64
    var negative: Int64
    var unsigned: UInt32
    var double: Double
    var tiny: Double
    var huge: Double
    var float: Float
    var flag: Bool
    var missing: String?
    var list: [Int]
    var nested: [[String: Double]]
    var when: Date
    var id: UUID
}

@Suite("JSON: parser, decoder and encoder against Python's json and Foundation", .timeLimit(.minutes(1)))
struct JSONTests {
    @Test(
        "syntax errors have CPython 3.11's message and character offset",
        arguments: [
            ("", "Expecting value", 0), (" ", "Expecting value", 1),
            ("{", "Expecting property name enclosed in double quotes", 1), ("[", "Expecting value", 1),
            ("[1,]", "Expecting value", 3), (#"{"a":1,}"#, "Expecting property name enclosed in double quotes", 7),
            (#"{"a" 1}"#, "Expecting ':' delimiter", 5), (#"{"a":1 "b":2}"#, "Expecting ',' delimiter", 7),
            (#""abc"#, "Unterminated string starting at", 0), ("\"a\u{01}\"", "Invalid control character at", 2),
            (#""\x""#, "Invalid \\escape", 1), (#""\u12""#, "Invalid \\uXXXX escape", 2), ("01", "Extra data", 1),
            ("1.", "Extra data", 1), ("-", "Expecting value", 0), ("tru", "Expecting value", 0), ("[1] x", "Extra data", 4),
            (#"{"é": 1, }"#, "Expecting property name enclosed in double quotes", 9),
        ])
    func syntaxErrors(text: String, message: String, offset: Int) {
        #expect(throws: JSONSyntaxError(message: message, characterOffset: offset)) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("Python's extensions and Unicode escapes parse as Python parses them")
    func literals() throws {
        #expect(try JSONParser.parse(Array("-Infinity".utf8)) == .double(-.infinity))
        #expect(try JSONParser.parse(Array("1e5".utf8)) == .double(100_000))
        #expect(try JSONParser.parse(Array(#""\ud83d\udca5 \u00e9""#.utf8)) == .string("💥 é"))
        #expect(try JSONParser.parse(Array(#""\ud800""#.utf8)) == .string("\u{FFFD}"))
        #expect(try JSONParser.parse(Array(#"{"a":1,"a":2}"#.utf8))["a"] == .int(2))
        #expect(try JSONParser.parse(Array("\u{FEFF}[1]".utf8)) == .array([.int(1)]))
    }

    @Test(
        "strings keep valid UTF-8 of any length and refuse invalid UTF-8, with and without escapes",
        arguments: [
            // A quote, the bytes, a quote: long enough for the eight-byte ASCII check and shorter.
            ([0x61, 0x62, 0x63], "abc"), (Array("0123456789abcdef-é".utf8), "0123456789abcdef-é"),
            (Array("💥 ünïcode, every length 12345678".utf8), "💥 ünïcode, every length 12345678"),
            (Array(#"esc\n ape é"#.utf8), "esc\n ape é"),
            ([0xFF], nil), ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xC3], nil),  // truncated after 8 ASCII
            ([0xC0, 0xAF], nil), ([0xED, 0xA0, 0x80], nil), ([0xF4, 0x90, 0x80, 0x80], nil),  // overlong, surrogate, > U+10FFFF
            ([0x5C, 0x6E, 0xE2, 0x82], nil),  // an escape, then a truncated sequence
        ] as [([UInt8], String?)]
    )
    func utf8Strings(bytes: [UInt8], expected: String?) throws {
        let document = [UInt8(ascii: "\"")] + bytes + [UInt8(ascii: "\"")]
        if let expected {
            #expect(try JSONParser.parse(document) == .string(expected))
        } else {
            #expect(throws: JSONEncodingError.self) { try JSONParser.parse(document) }
        }
    }

    @Test("every type the decoder reads as a primitive converts as one")
    func primitiveTypesAgree() {
        func converts<T>(_ type: T.Type) -> Bool { LaxJSON.isPrimitive(T.self) && LaxJSON.primitive(T.self, from: .null) != nil }
        #expect(converts(String.self) && converts(Int.self) && converts(Double.self) && converts(Bool.self))
        #expect(converts(Float.self) && converts(Int64.self) && converts(Int32.self) && converts(Int16.self) && converts(Int8.self))
        #expect(converts(UInt.self) && converts(UInt64.self) && converts(UInt32.self) && converts(UInt16.self) && converts(UInt8.self))
        #expect(converts(UUID.self) && converts(Date.self) && converts(Decimal.self) && converts(Data.self))
        #expect(converts(CalendarDate.self) && converts(OffsetDateTime.self))
        #expect(!LaxJSON.isPrimitive([String].self) && LaxJSON.primitive([String].self, from: .null) == nil)
    }

    @Test("nesting up to 512 levels parses; deeper is a syntax error, not a stack overflow")
    func nestingLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(Array(ok.utf8)) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONSyntaxError(message: "Maximum nesting depth exceeded", characterOffset: 512)) {
            try JSONParser.parse(Array(deep.utf8))
        }
    }

    @Test("strings are escaped as json.dumps(ensure_ascii=False) escapes them")
    func escaping() throws {
        let bytes = try JSONModelEncoder.encode("\u{0}\u{1f}\"\\/\n\t\r\u{8}\u{c}é💥\u{7f}")
        #expect(String(decoding: bytes, as: UTF8.self) == "\"\\u0000\\u001f\\\"\\\\/\\n\\t\\r\\b\\fé💥\u{7f}\"")
    }

    @Test(
        "floats are written as Python's repr writes them",
        arguments: [
            (0.1, "0.1"), (1e-05, "1e-05"), (1e-7, "1e-07"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
            (123_456_789.125, "123456789.125"), (1.7976931348623157e308, "1.7976931348623157e+308"), (-0.0, "-0.0"),
            (2.0, "2.0"), (1e22, "1e+22"), (0.0001, "0.0001"), (12_345_678_901_234_567.0, "1.2345678901234568e+16"),
        ])
    func floats(value: Double, expected: String) throws {
        #expect(String(decoding: try JSONModelEncoder.encode(value), as: UTF8.self) == expected)
    }

    static let sample = Everything(
        text: "quote \" backslash \\ newline \n tab \t", unicode: "é 💥 日本 \u{1}", small: -128, big: .max, negative: .min,
        unsigned: .max, double: 0.1, tiny: .leastNonzeroMagnitude, huge: 1.7976931348623157e308, float: 0.25, flag: true, missing: nil,
        list: [1, -2, 3], nested: [["a": 1.5], [:]], when: Date(timeIntervalSince1970: 1_714_979_289),
        id: UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")!)

    @Test("what Apus encodes, Foundation decodes to the same value")
    func apusToFoundation() throws {
        let bytes = try JSONModelEncoder.encode(Self.sample)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Everything.self, from: Data(bytes)) == Self.sample)
    }

    @Test("what Foundation encodes, Apus decodes to the same value")
    func foundationToApus() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let value = try JSONParser.parse(Array(try encoder.encode(Self.sample)))
        guard case .success(let decoded) = JSONModelDecoder.decode(Everything.self, from: value, at: ["body"]) else {
            Issue.record("Apus could not decode Foundation's output")
            return
        }
        #expect(decoded == Self.sample)
    }

    @Test("an Apus round trip keeps every value, and integers at the Int64 edges stay exact")
    func roundTrip() throws {
        let value = try JSONParser.parse(try JSONModelEncoder.encode(Self.sample))
        guard case .success(let decoded) = JSONModelDecoder.decode(Everything.self, from: value, at: ["body"]) else {
            Issue.record("round trip failed")
            return
        }
        #expect(decoded == Self.sample)
        #expect(value["big"] == .int(.max))
        #expect(value["negative"] == .int(.min))
    }

    @Test("NaN and infinities cannot be encoded (FastAPI answers 500)")
    func nonFinite() {
        #expect(throws: JSONEncodingFailure.self) { try JSONModelEncoder.encode([Double.nan]) }
        #expect(throws: JSONEncodingFailure.self) { try JSONModelEncoder.encode(["x": Double.infinity]) }
    }
}
