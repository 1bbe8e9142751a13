/// The naming rules FastAPI applies when it documents a route, reproduced so that the
/// same route gets the same names in Apus.
enum PythonNaming {
    /// Python's `str.title()`: a cased character is upper-cased when it follows an uncased
    /// one (or starts the text) and lower-cased otherwise (`"get_user_v2"` with `_` turned into
    /// spaces gives `"Get User V2"`).
    static func title(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousCased = false
        for scalar in text.unicodeScalars {
            let cased = scalar.properties.isCased
            if cased {
                let mapped = previousCased ? scalar.properties.lowercaseMapping : scalar.properties.titlecaseMapping
                result.append(contentsOf: mapped.unicodeScalars)
            } else {
                result.append(scalar)
            }
            previousCased = cased
        }
        return String(result)
    }

    /// A name as FastAPI shows it: `_` becomes a space, then ``title(_:)``.
    static func humanTitle(_ name: String) -> String {
        self.title(name.replacingUnderscores(with: " "))
    }

    /// Python's `re.sub(r"\W", "_", text)`: every character that is not a letter, digit or
    /// underscore becomes `_`.
    static func wordCharacters(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isWord = scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            result.append(isWord ? scalar : "_")
        }
        return String(result)
    }

    /// FastAPI's `generate_unique_id`: `name + path` with non-word characters as `_`, then `_` and the method.
    static func operationID(name: String, path: String, method: String) -> String {
        self.wordCharacters(name + path) + "_" + method.lowercased()
    }

    /// A route's name when none was given (a Swift closure has no name to borrow):
    /// the method and the path's words, `GET /items/{item_id}` -> `get_items_item_id`.
    static func defaultRouteName(path: String, method: String) -> String {
        let words = self.wordCharacters(path).split(separator: "_").joined(separator: "_")
        return words.isEmpty ? method.lowercased() : method.lowercased() + "_" + words
    }
}

extension String {
    func replacingUnderscores(with replacement: Unicode.Scalar) -> String {
        String(String.UnicodeScalarView(self.unicodeScalars.map { $0 == "_" ? replacement : $0 }))
    }
}
