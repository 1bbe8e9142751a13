/// A route's path template split into segments: `/items/{item_id}` is `items`, `{item_id}`.
struct PathTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal(String)
        /// `{name}` or `{name:convertor}`: one non-empty segment that the convertor accepts.
        case parameter(name: String, convertor: Convertor)
        /// `{name:path}`: the rest of the path, slashes included, possibly empty.
        case tail(name: String)
    }

    /// Starlette's convertors: what a `{name:...}` segment accepts (a mismatch means "no route", 404).
    enum Convertor: String, Sendable, Hashable {
        case str, int, float, uuid

        func accepts(_ segment: Substring) -> Bool {
            switch self {
            case .str: return true
            case .int: return segment.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            case .float:
                let parts = segment.split(separator: ".", omittingEmptySubsequences: false)
                return (1...2).contains(parts.count)
                    && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
            case .uuid:
                let hex = segment.utf8.filter { $0 != UInt8(ascii: "-") }
                return hex.count == 32 && hex.allSatisfy { Unicode.Scalar($0).properties.isASCIIHexDigit }
            }
        }
    }

    let text: String
    let segments: [Segment]

    /// The names of the `{...}` segments in order.
    var parameterNames: [String] {
        self.segments.compactMap {
            switch $0 {
            case .literal: return nil
            case .parameter(let name, _), .tail(let name): return name
            }
        }
    }

    /// Parses a template; the message of a thrown error names what is wrong.
    init(_ text: String) throws(RouteConfigurationError) {
        guard text.hasPrefix("/") else { throw RouteConfigurationError("route path \"\(text)\" must start with \"/\"") }
        self.text = text
        var segments: [Segment] = []
        let parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            guard part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 else {
                if part.contains("{") || part.contains("}") {
                    throw RouteConfigurationError("route path \"\(text)\": segment \"\(part)\" must be a whole {name}")
                }
                segments.append(.literal(String(part)))
                continue
            }
            let inner = part.dropFirst().dropLast()
            let pieces = inner.split(separator: ":", maxSplits: 1)
            let name = String(pieces[0])
            let convertorName = pieces.count > 1 ? String(pieces[1]) : "str"
            if convertorName == "path" {
                guard index == parts.count - 1 else {
                    throw RouteConfigurationError("route path \"\(text)\": {\(name):path} must be the last segment")
                }
                segments.append(.tail(name: name))
            } else if let convertor = Convertor(rawValue: convertorName) {
                segments.append(.parameter(name: name, convertor: convertor))
            } else {
                throw RouteConfigurationError("route path \"\(text)\": unknown convertor \"\(convertorName)\"")
            }
        }
        self.segments = segments
    }
}
