/// `parse_qsl(keep_blank_values=True)`: pairs split on `&`, a key without `=` has the value `""`.
func parseQuery(_ query: String?) -> [(String, String)] {
    guard let query, !query.isEmpty else { return [] }
    var items: [(String, String)] = []
    for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
        if let equals = piece.firstIndex(of: "=") {
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
