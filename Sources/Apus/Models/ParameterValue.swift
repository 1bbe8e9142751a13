public import Foundation

/// A type that a path, query, header or cookie parameter can hold, converted from the
/// request's text with pydantic's lax rules (`" 42 "` and `"4.0"` are the integer 42,
/// `"yes"` is `true`).
///
/// Apus provides it for every integer width, `Double`, `Float`, `Bool`, `String`, `UUID`,
/// `Date` and, through a default implementation, for `String`-backed enums that are `CaseIterable`:
///
/// ```swift
/// enum ModelName: String, CaseIterable, ParameterValue { case alexnet, resnet, lenet }
/// ```
public protocol ParameterValue: Sendable {
    /// Converts the text of a parameter.
    /// - Throws: a ``ValueIssue`` with pydantic's error type and message when the text does not convert.
    init(parameterText text: String) throws(ValueIssue)

    /// What the value's constraints (``Constraint``) are checked against.
    var constraintSubject: ConstraintSubject { get }
}

extension ParameterValue {
    public var constraintSubject: ConstraintSubject { .other }
}

// MARK: - Integers

/// Parses an integer as pydantic does in lax mode: surrounding whitespace, a sign, `_`
/// between digits and a zero fraction (`"4.0"`) are accepted.
func parseLaxInteger(_ text: String) -> (negative: Bool, magnitude: UInt64?)? {
    if let plain = parsePlainInteger(text.utf8) { return plain }
    var scalars = Substring(text).trimmingCharacters(in: .whitespacesAndNewlines)[...]
    var negative = false
    if let first = scalars.first, first == "-" || first == "+" {
        negative = first == "-"
        scalars = scalars.dropFirst()
    }
    if let dot = scalars.firstIndex(of: ".") {
        let fraction = scalars[scalars.index(after: dot)...]
        guard !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" }) else { return nil }
        scalars = scalars[..<dot]
    }
    guard let first = scalars.first, first.isASCII, first.isNumber, scalars.last != "_" else { return nil }
    var magnitude: UInt64? = 0
    var previousUnderscore = false
    for character in scalars {
        if character == "_" {
            if previousUnderscore { return nil }
            previousUnderscore = true
            continue
        }
        previousUnderscore = false
        guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
        if let current = magnitude {
            let (times, overflow1) = current.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            magnitude = overflow1 || overflow2 ? nil : sum
        }
    }
    return (negative, magnitude)
}

/// The common case of ``parseLaxInteger(_:)`` without Foundation or `Character`s: an
/// optional sign and 1 to 18 ASCII digits, nothing else; `nil` sends the text to the full rules.
@inline(__always)
func parsePlainInteger(_ utf8: String.UTF8View) -> (negative: Bool, magnitude: UInt64?)? {
    var negative = false
    var digits = 0
    var magnitude: UInt64 = 0
    for (offset, byte) in utf8.enumerated() {
        if offset == 0, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
            negative = byte == UInt8(ascii: "-")
            continue
        }
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 else { return nil }
        magnitude = magnitude &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
        digits += 1
    }
    return digits > 0 ? (negative, magnitude) : nil
}

extension FixedWidthInteger where Self: ParameterValue {
    /// Converts text to this integer type; a value outside the type's range is reported as a
    /// `greater_than_equal` / `less_than_equal` error naming the type's bound.
    public init(parameterText text: String) throws(ValueIssue) {
        guard let (negative, magnitude) = parseLaxInteger(text) else { throw .intParsing }
        // Made only when thrown: their messages and contexts cost more than the parse.
        var tooLarge: ValueIssue {
            ValueIssue(
                "less_than_equal", "Input should be less than or equal to \(Self.max)", ctx: ["le": .int(Int64(clamping: Self.max))])
        }
        var tooSmall: ValueIssue {
            ValueIssue(
                "greater_than_equal", "Input should be greater than or equal to \(Self.min)",
                ctx: ["ge": .int(Int64(clamping: Self.min))])
        }
        guard let magnitude else { throw negative ? tooSmall : tooLarge }
        if negative {
            if magnitude == 0 {
                self = 0
                return
            }
            let negated: Int64? =
                magnitude == UInt64(Int64.max) + 1 ? Int64.min : (magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil)
            guard let negated, let value = Self(exactly: negated) else { throw tooSmall }
            self = value
        } else {
            guard magnitude <= UInt64(clamping: Self.max) else { throw tooLarge }
            self = Self(magnitude)
        }
    }

    public var constraintSubject: ConstraintSubject { .number(Double(self), isInteger: true) }
}

extension Int: ParameterValue {}
extension Int8: ParameterValue {}
extension Int16: ParameterValue {}
extension Int32: ParameterValue {}
extension Int64: ParameterValue {}
extension UInt: ParameterValue {}
extension UInt8: ParameterValue {}
extension UInt16: ParameterValue {}
extension UInt32: ParameterValue {}
extension UInt64: ParameterValue {}

// MARK: - Floating point

/// Parses a number as Python's `float()` does (whitespace, `_` between digits, `inf`, `nan`).
func parseLaxDouble(_ text: String) -> Double? {
    if isPlainDecimal(text.utf8) { return Double(text) }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return nil }
    let cleaned = trimmed.contains("_") ? trimmed.replacingOccurrences(of: "_", with: "") : trimmed
    switch cleaned.lowercased() {
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan", "+nan", "-nan": return .nan
    default: break
    }
    // Swift also accepts hexadecimal floats, which Python does not.
    guard !cleaned.lowercased().contains("x") else { return nil }
    return Double(cleaned)
}

/// Whether the text is an optional sign, ASCII digits and at most one `.`, with a digit:
/// a number both Swift and Python read the same way, so ``parseLaxDouble(_:)`` can skip its
/// trimming and spelling checks.
@inline(__always)
func isPlainDecimal(_ utf8: String.UTF8View) -> Bool {
    var digits = 0
    var dots = 0
    for (offset, byte) in utf8.enumerated() {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
        case UInt8(ascii: "."): dots += 1
        case UInt8(ascii: "-"), UInt8(ascii: "+") where offset == 0: continue
        default: return false
        }
    }
    return digits > 0 && dots <= 1
}

extension Double: ParameterValue {
    /// Parses as Python's `float()`, refusing NaN and infinities with pydantic's
    /// `finite_number` (its `allow_inf_nan=False`): a value Apus could not send back as JSON.
    public init(parameterText text: String) throws(ValueIssue) {
        guard let value = parseLaxDouble(text) else { throw .floatParsing }
        guard value.isFinite else { throw .finiteNumber }
        self = value
    }

    public var constraintSubject: ConstraintSubject { .number(self, isInteger: false) }
}

extension Float: ParameterValue {
    public init(parameterText text: String) throws(ValueIssue) {
        guard let value = parseLaxDouble(text) else { throw .floatParsing }
        guard Float(value).isFinite else { throw .finiteNumber }
        self = Float(value)
    }

    public var constraintSubject: ConstraintSubject { .number(Double(self), isInteger: false) }
}

// MARK: - Bool, String

extension Bool: ParameterValue {
    /// Accepts pydantic's spellings, case-insensitively: `1 true t yes y on` and `0 false f no n off`.
    public init(parameterText text: String) throws(ValueIssue) {
        switch text.lowercased() {
        case "1", "true", "t", "yes", "y", "on": self = true
        case "0", "false", "f", "no", "n", "off": self = false
        default: throw .boolParsing
        }
    }
}

extension String: ParameterValue {
    public init(parameterText text: String) throws(ValueIssue) { self = text }
    public var constraintSubject: ConstraintSubject { .string(self) }
}

// MARK: - UUID

extension UUID: ParameterValue {
    /// Accepts the hyphenated and the 32-digit simple forms, any case, optionally in braces or
    /// after `urn:uuid:`; errors are worded as pydantic-core's.
    public init(parameterText text: String) throws(ValueIssue) {
        var scalars = Array(text.unicodeScalars)
        if scalars.count == 38, scalars.first == "{", scalars.last == "}" {
            scalars = Array(scalars.dropFirst().dropLast())
        } else if text.hasPrefix("urn:uuid:") {
            scalars = Array(scalars.dropFirst(9))
        }
        var hex = ""
        hex.reserveCapacity(32)
        var groupLengths: [Int] = [0]
        for (index, scalar) in scalars.enumerated() {
            if scalar == "-" {
                groupLengths.append(0)
            } else if scalar.properties.isASCIIHexDigit {
                hex.unicodeScalars.append(scalar)
                groupLengths[groupLengths.count - 1] += 1
            } else {
                throw .uuidParsing("invalid character: found `\(scalar)` at \(index)")
            }
        }
        if groupLengths.count == 1 {
            guard scalars.count == 32 else { throw .uuidParsing("invalid length: found \(scalars.count)") }
        } else {
            guard groupLengths.count == 5 else {
                throw .uuidParsing("invalid group count: expected 5, found \(groupLengths.count)")
            }
            for (group, (found, expected)) in zip(groupLengths, [8, 4, 4, 4, 12]).enumerated() where found != expected {
                throw .uuidParsing("invalid group length in group \(group): expected \(expected), found \(found)")
            }
        }
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        guard let uuid = UUID(uuidString: parts.joined(separator: "-")) else {
            throw .uuidParsing("invalid length: found \(scalars.count)")
        }
        self = uuid
    }
}

// MARK: - String enums

extension ParameterValue where Self: RawRepresentable, Self.RawValue == String, Self: CaseIterable {
    /// Accepts exactly one of the raw values, else pydantic's `enum` error listing them.
    public init(parameterText text: String) throws(ValueIssue) {
        guard let value = Self(rawValue: text) else { throw .enumeration(Self.allCases.map(\.rawValue)) }
        self = value
    }
}
