public import Foundation

// `Data` in JSON as FastAPI (pydantic's `bytes`) has it: a JSON string's UTF-8 bytes when
// decoded, written back as that text, documented as `{"type": "string", "contentMediaType":
// "application/octet-stream"}`. Bytes that are not UTF-8 cannot be JSON text: encoding them
// fails and the request is answered 500, logged (FastAPI fails the same way). Binary content
// goes in a `Response` with its own media type, or base64-encoded in a `String` field.

extension ValueIssue {
    static let bytesType = ValueIssue("bytes_type", "Input should be a valid bytes")
}

extension LaxJSON {
    /// pydantic's `bytes` from JSON: a string's UTF-8 bytes.
    static func data(_ value: JSONValue) -> Result<Data, ValueIssue> {
        guard case .string(let text) = value else { return .failure(.bytesType) }
        return .success(Data(text.utf8))
    }
}

extension Data: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue {
        ["type": "string", "contentMediaType": "application/octet-stream"]
    }
}
