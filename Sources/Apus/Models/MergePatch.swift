extension Decodable where Self: Encodable {
    /// This value with a JSON merge patch applied (RFC 7396): each key of the patch replaces
    /// the field of the same wire name, `null` clears it, an object merges into a nested
    /// object, and keys the patch leaves out stay as they are. The result is validated as a
    /// request body is (the model's types and constraints, every error in one 422 with
    /// `loc: ["body", ...]`): clearing a required field is answered, not stored.
    ///
    /// The patch is usually a ``Model(description:extra:keys:)`` type with ``Patchable``
    /// fields (an ``Patchable/absent`` field is left out, so it changes nothing); any
    /// `Encodable` value works, a ``JSONValue`` too.
    ///
    /// ```swift
    /// @Model struct ItemPatch { var name: Patchable<String>; var note: Patchable<String?> }
    ///
    /// let item = Item(name: "Lamp", price: 9.5, note: "old")
    /// try item.applying(ItemPatch(name: .absent, note: .null))   // name "Lamp", note nil
    /// ```
    public func applying(_ patch: some Encodable) throws(RequestValidationError) -> Self {
        let current: JSONValue
        let changes: JSONValue
        do {
            current = try JSONParser.parse(try JSONModelEncoder.encode(self))
            changes = try JSONParser.parse(try JSONModelEncoder.encode(patch))
        } catch {
            throw RequestValidationError(errors: [
                ValueIssue.valueError("the value or the patch does not encode as JSON").detail(at: [.key("body")], input: .null)
            ])
        }
        switch JSONModelDecoder.decode(Self.self, from: current.mergingPatch(changes), at: [.key("body")]) {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }
}

extension JSONValue {
    /// RFC 7396's MergePatch(target, patch): an object patch merges key by key (`null`
    /// removes the key), anything else replaces the target.
    package func mergingPatch(_ patch: JSONValue, depth: Int = 0) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        guard depth < 64 else { return patch }
        var members: [(String, JSONValue)]
        if case .object(let existing) = self { members = existing } else { members = [] }
        for (key, change) in changes {
            let index = members.firstIndex { $0.0 == key }
            if change == .null {
                if let index { members.remove(at: index) }
            } else if let index {
                members[index].1 = members[index].1.mergingPatch(change, depth: depth + 1)
            } else {
                members.append((key, JSONValue.null.mergingPatch(change, depth: depth + 1)))
            }
        }
        return .object(members)
    }
}
