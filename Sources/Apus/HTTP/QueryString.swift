/// `parse_qsl(keep_blank_values=True)`: pairs split on `&`, a key without `=` has the value `""`.
func parseQuery(_ query: String?) -> [(String, String)] {
    guard let query, !query.isEmpty else { return [] }
    var items: [(String, String)] = []
    // The pieces between `&`s, walked in place (no array of substrings).
    var rest = query[...]
    while !rest.isEmpty {
        let end = rest.utf8.firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
        let piece = rest[..<end]
        rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        guard !piece.isEmpty else { continue }
        if let equals = piece.utf8.firstIndex(of: UInt8(ascii: "=")) {
            items.append((
                percentDecode(piece[..<equals], plusAsSpace: true),
                percentDecode(piece[piece.index(after: equals)...], plusAsSpace: true)
            ))
        } else {
            items.append((percentDecode(piece, plusAsSpace: true), ""))
        }
    }
    return items
}
