public import Foundation

// `Decimal` as pydantic's `Decimal`: read from a JSON number (its shortest digits, so `0.1`
// is exactly 0.1), a numeric string (`"10"`, `"1.50"`, `"1e3"`) or a query text; written as a
// JSON number with its exact digits (`10`, `1.5`), as FastAPI's `jsonable_encoder` writes one.

extension ValueIssue {
    static let decimalParsing = ValueIssue("decimal_parsing", "Input should be a valid decimal")
    static let decimalType = ValueIssue("decimal_type", "Decimal input should be an integer, float, string or Decimal object")
}

/// A decimal from text: optional whitespace and sign, digits with an optional fraction, an
/// optional exponent; `nil` for anything else (Foundation's `Decimal(string:)` alone stops at
/// the first bad character and keeps what came before: `"1.5abc"` would be 1.5).
func parseDecimal(_ text: String) -> Decimal? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    var scalars = trimmed.unicodeScalars[...]
    if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
    let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
    let whole = scalars.prefix(while: isDigit)
    scalars = scalars.dropFirst(whole.count)
    var fraction = Substring.UnicodeScalarView()
    if scalars.first == "." {
        scalars = scalars.dropFirst()
        fraction = Substring.UnicodeScalarView(scalars.prefix(while: isDigit))
        scalars = scalars.dropFirst(fraction.count)
    }
    guard !whole.isEmpty || !fraction.isEmpty else { return nil }
    if let marker = scalars.first, marker == "e" || marker == "E" {
        scalars = scalars.dropFirst()
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        let exponent = scalars.prefix(while: isDigit)
        guard !exponent.isEmpty, exponent.count < 6 else { return nil }
        scalars = scalars.dropFirst(exponent.count)
    }
    guard scalars.isEmpty else { return nil }
    return Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
}

extension Decimal: ParameterValue {
    public init(parameterText text: String) throws(ValueIssue) {
        guard let value = parseDecimal(text) else { throw .decimalParsing }
        self = value
    }

    public var constraintSubject: ConstraintSubject { .number(NSDecimalNumber(decimal: self).doubleValue, isInteger: false) }
}

extension LaxJSON {
    /// pydantic's lax `Decimal`: a number, or a string of one.
    static func decimal(_ value: JSONValue) -> Result<Decimal, ValueIssue> {
        switch value {
        case .int(let int): return .success(Decimal(int))
        case .double(let double):
            // The shortest digits that give back the double: what the client wrote.
            return parseDecimal(String(double)).map { .success($0) } ?? .failure(.decimalParsing)
        case .string(let text): return parseDecimal(text).map { .success($0) } ?? .failure(.decimalParsing)
        default: return .failure(.decimalType)
        }
    }
}
