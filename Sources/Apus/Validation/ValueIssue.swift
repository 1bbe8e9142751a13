/// A problem with one value before it is given its location: the `type`, `msg` and `ctx`
/// of a ``ValidationErrorDetail``. Conversions of ``ParameterValue`` types throw it.
public struct ValueIssue: Error, Sendable, Equatable {
    public var type: String
    public var msg: String
    public var ctx: JSONValue?

    public init(_ type: String, _ msg: String, ctx: JSONValue? = nil) {
        self.type = type
        self.msg = msg
        self.ctx = ctx
    }

    package func detail(at loc: [LocationComponent], input: JSONValue) -> ValidationErrorDetail {
        ValidationErrorDetail(type: self.type, loc: loc, msg: self.msg, input: input, ctx: self.ctx)
    }

    package static let missing = ValueIssue("missing", "Field required")
    package static let intParsing = ValueIssue(
        "int_parsing", "Input should be a valid integer, unable to parse string as an integer")
    package static let intFromFloat = ValueIssue(
        "int_from_float", "Input should be a valid integer, got a number with a fractional part")
    package static let intType = ValueIssue("int_type", "Input should be a valid integer")
    package static let intParsingSize = ValueIssue(
        "int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size")
    package static let floatParsing = ValueIssue(
        "float_parsing", "Input should be a valid number, unable to parse string as a number")
    package static let floatType = ValueIssue("float_type", "Input should be a valid number")
    package static let finiteNumber = ValueIssue("finite_number", "Input should be a finite number")
    package static let boolParsing = ValueIssue(
        "bool_parsing", "Input should be a valid boolean, unable to interpret input")
    package static let boolType = ValueIssue("bool_type", "Input should be a valid boolean")
    package static let stringType = ValueIssue("string_type", "Input should be a valid string")
    package static let listType = ValueIssue("list_type", "Input should be a valid list")
    package static let dictType = ValueIssue("dict_type", "Input should be a valid dictionary")
    package static let modelAttributesType = ValueIssue(
        "model_attributes_type", "Input should be a valid dictionary or object to extract fields from")

    package static let extraForbidden = ValueIssue("extra_forbidden", "Extra inputs are not permitted")

    package static func uuidParsing(_ error: String) -> ValueIssue {
        ValueIssue("uuid_parsing", "Input should be a valid UUID, \(error)", ctx: ["error": .string(error)])
    }

    package static func datetimeParsing(_ error: String) -> ValueIssue {
        ValueIssue(
            "datetime_from_date_parsing", "Input should be a valid datetime or date, \(error)",
            ctx: ["error": .string(error)])
    }

    /// pydantic's `enum` error: `Input should be 'a', 'b' or 'c'`.
    package static func enumeration(_ values: [String]) -> ValueIssue {
        let expected = joinedAlternatives(values.map { "'\($0)'" })
        return ValueIssue("enum", "Input should be \(expected)", ctx: ["expected": .string(expected)])
    }

    /// `'a', 'b' or 'c'`, as pydantic joins alternatives.
    static func joinedAlternatives(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }

    package static func valueError(_ message: String) -> ValueIssue {
        ValueIssue("value_error", "Value error, \(message)", ctx: ["error": .object([])])
    }
}
