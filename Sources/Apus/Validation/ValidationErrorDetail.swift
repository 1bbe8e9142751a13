/// One step of a validation error's `loc`: a name (`"query"`, `"item_id"`) or an array index.
public enum LocationComponent: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    public init(stringLiteral value: String) { self = .key(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    /// The component as FastAPI writes it in `loc`: a string or an integer.
    public var json: JSONValue {
        switch self {
        case .key(let key): return .string(key)
        case .index(let index): return .int(Int64(index))
        }
    }
}

/// One entry of a 422 response's `detail` list, with FastAPI's (pydantic's) exact fields:
/// `type`, `loc`, `msg`, `input` and, for the error types that have it, `ctx`.
///
/// ```json
/// {"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}
/// ```
public struct ValidationErrorDetail: Sendable, Hashable {
    /// The machine-readable error type, e.g. `missing`, `int_parsing`, `string_too_long`.
    public var type: String
    /// Where the bad value was: `["query", "q"]`, `["body", "lines", 2, "sku"]`.
    public var loc: [LocationComponent]
    /// The human-readable message, exactly as pydantic words it.
    public var msg: String
    /// The value that failed (`null` for a missing one).
    public var input: JSONValue
    /// The error's context (for example `{"gt": 0}`), when its type has one.
    public var ctx: JSONValue?

    /// Creates an error entry.
    public init(type: String, loc: [LocationComponent], msg: String, input: JSONValue, ctx: JSONValue? = nil) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
        self.ctx = ctx
    }

    /// The entry as a JSON object with FastAPI's key order.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string(self.type)),
            ("loc", .array(self.loc.map(\.json))),
            ("msg", .string(self.msg)),
            ("input", self.input.nonFiniteAsText),
        ]
        if let ctx = self.ctx { members.append(("ctx", ctx)) }
        return .object(members)
    }
}

/// The request did not validate: every problem found in its path, query, headers, cookies and body.
///
/// Apus answers it with `422 Unprocessable Entity` and `{"detail": [...]}`, as FastAPI does.
/// Throw it from a handler to report problems of your own in the same shape.
public struct RequestValidationError: Error, Sendable {
    /// Every error of the request, in FastAPI's order.
    public var errors: [ValidationErrorDetail]

    /// Creates the error from its entries.
    public init(errors: [ValidationErrorDetail]) { self.errors = errors }

    /// The response body, `{"detail":[...]}`.
    public var body: JSONValue { .object([("detail", .array(self.errors.map(\.json)))]) }

    /// The 422 that answers the request.
    var response: Response { .json(self.body, status: .unprocessableEntity) }
}

extension JSONValue {
    /// The value with each NaN or infinity as the text Python prints for it (`"inf"`, `"-inf"`,
    /// `"nan"`): an error about a number too large for a `Double` can still show its input.
    var nonFiniteAsText: JSONValue {
        switch self {
        case .double(let double) where !double.isFinite:
            return .string(double.isNaN ? "nan" : double < 0 ? "-inf" : "inf")
        case .array(let items):
            return .array(items.map(\.nonFiniteAsText))
        case .object(let members):
            return .object(members.map { ($0.0, $0.1.nonFiniteAsText) })
        default:
            return self
        }
    }
}
