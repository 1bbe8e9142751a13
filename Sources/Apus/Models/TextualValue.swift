import Foundation

/// The coding that `CalendarDate` and `OffsetDateTime` share: a JSON string parsed with
/// pydantic's rules (for decoders other than Apus's, an unknown text is a `DecodingError`),
/// written back as its `description`; in Apus's decoder a JSON number is Unix time.
enum TextualValue {
    /// Decodes a string and parses it.
    static func decode<T>(from decoder: any Decoder, _ parse: (String) throws(ValueIssue) -> T) throws -> T {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            return try parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.msg)
        }
    }

    /// Encodes `value`'s text.
    static func encode(_ value: some CustomStringConvertible, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.description)
    }

    /// pydantic's lax reading from JSON: a string parsed, a number as Unix time, anything else `typeIssue`.
    static func lax<T>(
        _ value: JSONValue, typeIssue: ValueIssue, parse: (String) throws(ValueIssue) -> T,
        unixTime: (Date) throws(ValueIssue) -> T
    ) -> Result<T, ValueIssue> {
        do throws(ValueIssue) {
            switch value {
            case .string(let text): return .success(try parse(text))
            case .int(let int): return .success(try unixTime(try DateTimeParser.date(unixTime: Double(int)).get()))
            case .double(let double): return .success(try unixTime(try DateTimeParser.date(unixTime: double).get()))
            default: return .failure(typeIssue)
            }
        } catch {
            return .failure(error)
        }
    }
}
