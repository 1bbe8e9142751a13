import NIOHTTP1

/// Starlette's cookie parser: chunks split on `;`, each at its first `=`, trimmed, quotes removed.
func parseCookies(_ headers: HTTPHeaders) -> [(String, String)] {
    var cookies: [(String, String)] = []
    for header in headers["cookie"] {
        for chunk in header.split(separator: ";", omittingEmptySubsequences: false) {
            let name: Substring
            var value: Substring
            if let equals = chunk.firstIndex(of: "=") {
                name = chunk[..<equals]
                value = chunk[chunk.index(after: equals)...]
            } else {
                name = ""
                value = chunk
            }
            let trimmedName = name.trimmingSpaces()
            var trimmedValue = value.trimmingSpaces()
            if trimmedName.isEmpty && trimmedValue.isEmpty { continue }
            if trimmedValue.count >= 2, trimmedValue.hasPrefix("\""), trimmedValue.hasSuffix("\"") {
                trimmedValue = String(trimmedValue.dropFirst().dropLast())
            }
            value = Substring(trimmedValue)
            cookies.append((trimmedName, String(value)))
        }
    }
    return cookies
}

extension Substring {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
