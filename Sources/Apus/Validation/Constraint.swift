import Foundation

/// A validation rule for a parameter's value, with FastAPI's names and error messages.
///
/// ```swift
/// app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { itemID, q in
///     ["item_id": "\(itemID)", "q": q ?? ""]
/// }
/// ```
///
/// Numeric rules apply to numbers, length and pattern rules to strings, item rules to
/// lists (the other rules of a list parameter apply to each of its items). Like pydantic,
/// only the first failing rule of a value is reported: `multipleOf`, then the upper
/// bounds, then the lower bounds; for strings the lengths, then the pattern.
public struct Constraint: Sendable {
    enum Kind: Sendable {
        case greaterThan(Double), greaterThanOrEqual(Double), lessThan(Double), lessThanOrEqual(Double)
        case multipleOf(Double)
        case minLength(Int), maxLength(Int)
        case pattern(String, PatternBox)
        case minItems(Int), maxItems(Int)
    }

    let kind: Kind

    /// The value must be greater than `bound` (`gt`).
    public static func greaterThan(_ bound: Double) -> Constraint { Constraint(kind: .greaterThan(bound)) }
    /// The value must be greater than or equal to `bound` (`ge`).
    public static func greaterThanOrEqual(_ bound: Double) -> Constraint { Constraint(kind: .greaterThanOrEqual(bound)) }
    /// The value must be less than `bound` (`lt`).
    public static func lessThan(_ bound: Double) -> Constraint { Constraint(kind: .lessThan(bound)) }
    /// The value must be less than or equal to `bound` (`le`).
    public static func lessThanOrEqual(_ bound: Double) -> Constraint { Constraint(kind: .lessThanOrEqual(bound)) }
    /// The value must be a multiple of `factor` (`multiple_of`).
    public static func multipleOf(_ factor: Double) -> Constraint { Constraint(kind: .multipleOf(factor)) }
    /// The string must have at least `length` characters (`min_length`).
    public static func minLength(_ length: Int) -> Constraint { Constraint(kind: .minLength(length)) }
    /// The string must have at most `length` characters (`max_length`).
    public static func maxLength(_ length: Int) -> Constraint { Constraint(kind: .maxLength(length)) }
    /// A list must have at least `count` items.
    public static func minItems(_ count: Int) -> Constraint { Constraint(kind: .minItems(count)) }
    /// A list must have at most `count` items.
    public static func maxItems(_ count: Int) -> Constraint { Constraint(kind: .maxItems(count)) }

    /// The string must contain a match of the regular expression `pattern` (searched, as pydantic does).
    ///
    /// An invalid pattern is a programming error and stops the app at registration with a message naming it.
    public static func pattern(_ pattern: String) -> Constraint {
        Constraint(kind: .pattern(pattern, PatternBox.compile(pattern, for: ".pattern(\"\(pattern)\")")))
    }
}

/// Holds a compiled pattern.
///
/// `NSRegularExpression` is immutable after creation and documented as safe to use from
/// several threads at once, which is what makes sharing it across requests sound.
final class PatternBox: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }

    /// Compiles `pattern`; an invalid one is a programming error, stopped naming `use`.
    static func compile(_ pattern: String, for use: String) -> PatternBox {
        do {
            return PatternBox(try NSRegularExpression(pattern: pattern))
        } catch {
            preconditionFailure("Apus: invalid regular expression in \(use): \(error)")
        }
    }

    func matches(_ string: String) -> Bool {
        let range = NSRange(string.startIndex..<string.endIndex, in: string)
        return self.regex.firstMatch(in: string, options: [], range: range) != nil
    }
}

/// What a constraint is checked against: a number (and whether its field is an integer), a string, or neither.
public enum ConstraintSubject {
    case number(Double, isInteger: Bool)
    case string(String)
    case other
}

extension Array where Element == Constraint {
    /// The first failing rule for a scalar value, in pydantic's order.
    func firstIssue(for subject: ConstraintSubject) -> ValueIssue? {
        guard !self.isEmpty else { return nil }
        switch subject {
        case .number(let value, let isInteger):
            for constraint in self {
                if case .multipleOf(let factor) = constraint.kind, factor != 0 {
                    let remainder = value.truncatingRemainder(dividingBy: factor)
                    if remainder != 0 {
                        return Self.numberIssue("multiple_of", "Input should be a multiple of", "multiple_of", factor, isInteger)
                    }
                }
            }
            for constraint in self {
                switch constraint.kind {
                case .lessThanOrEqual(let bound) where !(value <= bound):
                    return Self.numberIssue("less_than_equal", "Input should be less than or equal to", "le", bound, isInteger)
                case .lessThan(let bound) where !(value < bound):
                    return Self.numberIssue("less_than", "Input should be less than", "lt", bound, isInteger)
                default: continue
                }
            }
            for constraint in self {
                switch constraint.kind {
                case .greaterThanOrEqual(let bound) where !(value >= bound):
                    return Self.numberIssue(
                        "greater_than_equal", "Input should be greater than or equal to", "ge", bound, isInteger)
                case .greaterThan(let bound) where !(value > bound):
                    return Self.numberIssue("greater_than", "Input should be greater than", "gt", bound, isInteger)
                default: continue
                }
            }
        case .string(let string):
            let length = string.unicodeScalars.count
            for constraint in self {
                switch constraint.kind {
                case .minLength(let minimum) where length < minimum:
                    return ValueIssue(
                        "string_too_short",
                        "String should have at least \(minimum) character\(minimum == 1 ? "" : "s")",
                        ctx: ["min_length": .int(Int64(minimum))])
                case .maxLength(let maximum) where length > maximum:
                    return ValueIssue(
                        "string_too_long",
                        "String should have at most \(maximum) character\(maximum == 1 ? "" : "s")",
                        ctx: ["max_length": .int(Int64(maximum))])
                default: continue
                }
            }
            for constraint in self {
                if case .pattern(let source, let box) = constraint.kind, !box.matches(string) {
                    return ValueIssue(
                        "string_pattern_mismatch", "String should match pattern '\(source)'",
                        ctx: ["pattern": .string(source)])
                }
            }
        case .other:
            break
        }
        return nil
    }

    /// The first failing item-count rule of a list of `count` items.
    func firstListIssue(count: Int) -> ValueIssue? {
        for constraint in self {
            switch constraint.kind {
            case .minItems(let minimum) where count < minimum:
                return ValueIssue(
                    "too_short",
                    "List should have at least \(minimum) item\(minimum == 1 ? "" : "s") after validation, not \(count)",
                    ctx: ["field_type": "List", "min_length": .int(Int64(minimum)), "actual_length": .int(Int64(count))])
            case .maxItems(let maximum) where count > maximum:
                return ValueIssue(
                    "too_long",
                    "List should have at most \(maximum) item\(maximum == 1 ? "" : "s") after validation, not \(count)",
                    ctx: ["field_type": "List", "max_length": .int(Int64(maximum)), "actual_length": .int(Int64(count))])
            default: continue
            }
        }
        return nil
    }

    private static func numberIssue(
        _ type: String, _ message: String, _ key: String, _ bound: Double, _ isInteger: Bool
    ) -> ValueIssue {
        let ctxValue: JSONValue =
            isInteger && bound == bound.rounded() && abs(bound) < 9.0e18 ? .int(Int64(bound)) : .double(bound)
        return ValueIssue(type, "\(message) \(plainNumber(bound))", ctx: .object([(key, ctxValue)]))
    }
}

/// A number as pydantic prints it in messages: no `.0` for integral values, never an exponent.
func plainNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 9.0e18 { return String(Int64(value)) }
    let text = value.description
    guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
    let mantissa = text[..<exponentIndex]
    guard let exponent = Int(text[text.index(after: exponentIndex)...]) else { return text }
    let negative = mantissa.hasPrefix("-")
    let digitsPart = negative ? mantissa.dropFirst() : mantissa[...]
    let pointIndex = digitsPart.firstIndex(of: ".")
    let integerDigits = pointIndex.map { String(digitsPart[..<$0]) } ?? String(digitsPart)
    var fraction = pointIndex.map { String(digitsPart[digitsPart.index(after: $0)...]) } ?? ""
    if fraction == "0" { fraction = "" }
    let digits = integerDigits + fraction
    let pointPosition = integerDigits.count + exponent
    var result: String
    if pointPosition <= 0 {
        result = "0." + String(repeating: "0", count: -pointPosition) + digits
    } else if pointPosition >= digits.count {
        result = digits + String(repeating: "0", count: pointPosition - digits.count)
    } else {
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        result = digits[..<split] + "." + digits[split...]
    }
    return negative ? "-" + result : result
}

/// How a schema writes a numeric bound (`minimum`, `exclusiveMaximum`, `multipleOf`...), as
/// FastAPI's document does: a model's or a body's schema (a component) always as a float
/// (`1.0`: its OpenAPI models type them `float`), a parameter's as written (`ge=1` is `1`,
/// `le=1.5` is `1.5`; Swift cannot tell `0` from `0.0` once it is a `Double`, so an integral
/// bound is written as an integer).
package enum SchemaBounds: Sendable {
    case float
    case asWritten
}

extension Constraint {
    /// The rule as written in Swift (`.maxLength`), for messages.
    var name: String {
        switch self.kind {
        case .greaterThan: return ".greaterThan"
        case .greaterThanOrEqual: return ".greaterThanOrEqual"
        case .lessThan: return ".lessThan"
        case .lessThanOrEqual: return ".lessThanOrEqual"
        case .multipleOf: return ".multipleOf"
        case .minLength: return ".minLength"
        case .maxLength: return ".maxLength"
        case .pattern: return ".pattern"
        case .minItems: return ".minItems"
        case .maxItems: return ".maxItems"
        }
    }

    /// Why the rule cannot apply to a value whose JSON Schema type is `type` (`"string"`,
    /// `"integer"`...; `nil` for a schema without one, an enum's or a model's), in a list or
    /// not; `nil` when it applies. A string rule needs a plain string (no `format`).
    func misfit(type: String?, format: String?, isList: Bool) -> String? {
        switch self.kind {
        case .minItems, .maxItems:
            return isList ? nil : "\(self.name) applies to lists"
        case .minLength, .maxLength, .pattern:
            return type == "string" && format == nil ? nil : "\(self.name) applies to strings"
        case .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual, .multipleOf:
            return type == "integer" || type == "number" ? nil : "\(self.name) applies to numbers"
        }
    }

    /// Whether the rule counts a list's items (`minItems`, `maxItems`) rather than checking each item.
    var isItemCount: Bool {
        switch self.kind {
        case .minItems, .maxItems: return true
        default: return false
        }
    }

    /// The JSON Schema keyword and value of this rule, its bound written as `bounds` says.
    func schemaMember(bounds: SchemaBounds) -> (String, JSONValue) {
        func number(_ value: Double) -> JSONValue {
            bounds == .asWritten && value.rounded() == value && abs(value) < 9.0e15 ? .int(Int64(value)) : .double(value)
        }
        switch self.kind {
        case .greaterThan(let bound): return ("exclusiveMinimum", number(bound))
        case .greaterThanOrEqual(let bound): return ("minimum", number(bound))
        case .lessThan(let bound): return ("exclusiveMaximum", number(bound))
        case .lessThanOrEqual(let bound): return ("maximum", number(bound))
        case .multipleOf(let factor): return ("multipleOf", number(factor))
        case .minLength(let length): return ("minLength", .int(Int64(length)))
        case .maxLength(let length): return ("maxLength", .int(Int64(length)))
        case .pattern(let pattern, _): return ("pattern", .string(pattern))
        case .minItems(let count): return ("minItems", .int(Int64(count)))
        case .maxItems(let count): return ("maxItems", .int(Int64(count)))
        }
    }
}
