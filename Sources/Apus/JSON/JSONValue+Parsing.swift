extension JSONValue {
    /// Parses JSON text with Python's rules (see ``JSONValue``).
    /// - Throws: when `bytes` is not one valid JSON document.
    public init(parsing bytes: [UInt8]) throws {
        self = try JSONParser.parse(bytes)
    }

    /// Parses JSON text.
    public init(parsing text: String) throws {
        self = try JSONParser.parse(Array(text.utf8))
    }
}
