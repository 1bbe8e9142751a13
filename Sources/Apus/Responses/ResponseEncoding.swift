import NIOHTTP1

/// Turns what a handler returns into the response to its request, decided once per route from the return type,
/// so that no dynamic cast runs per request for a concrete return type.
enum ResponseEncoding {
    static func encoder<Output>(for type: Output.Type, status: HTTPResponseStatus, shape: ResponseShape? = nil)
        -> @Sendable (Output, Request) throws -> Response
    {
        if let shape, !shape.isEmpty, Output.self as? any ResponseConvertible.Type == nil, Output.self != Void.self {
            return Self.shapedEncoder(shape, status: status)
        }
        if Output.self == Void.self {
            return { _, _ in jsonResponse(Array("null".utf8), status: status) }
        }
        if Output.self == JSONValue.self {
            return { output, _ in jsonResponse(unsafeBitCast(output, to: JSONValue.self).jsonBytes ?? Array("null".utf8), status: status) }
        }
        if let convertible = Output.self as? any ResponseConvertible.Type {
            return Self.convertibleEncoder(convertible, Output.self, status: status)
        }
        if let encodable = Output.self as? any (Encodable & Sendable).Type {
            return Self.jsonEncoder(encodable, Output.self, status: status)
        }
        // An existential return type (`any Encodable`...): decide per value.
        return { output, request in
            if let convertible = output as? any ResponseConvertible { return try convertible.response(to: request, status: status) }
            guard let encodable = output as? any Encodable else { throw UnencodableOutput(type: "\(Output.self)") }
            return jsonResponse(try JSONModelEncoder.encode(encodable), status: status)
        }
    }

    /// Why a handler returning `Output` cannot answer, or `nil`: a concrete type that is neither
    /// `Encodable` nor a ``ResponseConvertible`` (an existential such as `any Encodable` is
    /// decided per value).
    static func problem<Output>(with type: Output.Type) -> String? {
        if Output.self == Void.self || Output.self == JSONValue.self || Output.self is any ResponseConvertible.Type
            || Output.self is any Encodable.Type
        {
            return nil
        }
        // An existential's metatype is `P.Protocol` (a concrete type's is `T.Type`).
        if "\(Swift.type(of: Output.self))".hasSuffix(".Protocol") { return nil }
        return "the handler returns \(Output.self), which is neither Encodable nor a ResponseConvertible: "
            + "declare it with @Model (or make it Codable), or return a Response"
    }

    /// `Output` is `C` (checked by the caller), so the bit cast only renames the type.
    private static func convertibleEncoder<C: ResponseConvertible, Output>(
        _: C.Type, _: Output.Type, status: HTTPResponseStatus
    ) -> @Sendable (Output, Request) throws -> Response {
        { output, request in try unsafeBitCast(output, to: C.self).response(to: request, status: status) }
    }

    /// `Output` is `E` (checked by the caller), so the bit cast only renames the type.
    private static func jsonEncoder<E: Encodable & Sendable, Output>(
        _: E.Type, _: Output.Type, status: HTTPResponseStatus
    ) -> @Sendable (Output, Request) throws -> Response {
        { output, _ in jsonResponse(try JSONModelEncoder.encode(unsafeBitCast(output, to: E.self)), status: status) }
    }

    /// JSON with the route's exclusions and field set applied: encoded, read back as a tree,
    /// shaped next to the value (only routes that ask pay for it).
    private static func shapedEncoder<Output>(_ shape: ResponseShape, status: HTTPResponseStatus)
        -> @Sendable (Output, Request) throws -> Response
    {
        { output, _ in
            guard let encodable = output as? any Encodable else { throw UnencodableOutput(type: "\(Output.self)") }
            var json = try JSONParser.parse(try JSONModelEncoder.encode(encodable))
            var value: Any = output
            if let model = shape.model {
                let converted = try Self.convert(json, to: model, from: Output.self)
                value = converted
                json = try JSONParser.parse(try JSONModelEncoder.encode(converted))
            }
            return jsonResponse(shape.apply(to: json, of: value).jsonBytes ?? Array("null".utf8), status: status)
        }
    }

    /// The handler's output as the route's response model, validated as a body is; a value
    /// that is not one is FastAPI's `ResponseValidationError` (a 500, its errors logged).
    private static func convert(_ json: JSONValue, to model: any (Codable & Sendable).Type, from output: Any.Type) throws
        -> any Codable & Sendable
    {
        func decode<M: Codable & Sendable>(_ type: M.Type) throws -> any Codable & Sendable {
            switch JSONModelDecoder.decode(M.self, from: json, at: [.key("response")]) {
            case .success(let value): return value
            case .failure(let failure): throw ResponseValidationError(model: "\(M.self)", output: "\(output)", errors: failure.errors)
            }
        }
        return try decode(model)
    }

    static func jsonResponse(_ bytes: [UInt8], status: HTTPResponseStatus) -> Response {
        var response = Response(status: status, headers: ["content-type": "application/json"])
        if !response.statusForbidsBody { response.body.writeBytes(bytes) }
        return response
    }
}

/// A handler returned a value that is neither `Encodable` nor a ``ResponseConvertible``.
struct UnencodableOutput: Error, CustomStringConvertible {
    var type: String
    var description: String { "handler returned \(self.type), which is neither Encodable nor ResponseConvertible" }
}

/// What a handler returned is not its route's `responseModel` (FastAPI's
/// `ResponseValidationError`): the client gets a 500, the log gets the errors.
struct ResponseValidationError: Error, CustomStringConvertible {
    var model: String
    var output: String
    var errors: [ValidationErrorDetail]
    var description: String {
        let entries = self.errors.map { ($0.json.jsonString) }.joined(separator: ", ")
        return "the \(self.output) a handler returned is not a valid \(self.model) (its responseModel): \(entries)"
    }
}
