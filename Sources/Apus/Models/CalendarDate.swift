public import Foundation

/// A day of the calendar, without a time or a time zone: pydantic's `date`
/// (`"2024-03-01"`, documented `format: date`). Use it for birthdays, due dates and other
/// days that are the same everywhere; use `Date` for an instant (rendered in UTC).
///
/// ```swift
/// @Model struct Booking { var day: CalendarDate }
/// app.get("/bookings", Query<CalendarDate>("day")) { day in try store.bookings(on: day) }
/// ```
///
/// Read as pydantic reads a `date`: `YYYY-MM-DD`, or a datetime or Unix time that falls exactly
/// on midnight UTC (`2024-03-01T00:00:00`, `1709251200`); a time of day is
/// `date_from_datetime_inexact`, anything else `date_from_datetime_parsing` with speedate's words.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The day, or `nil` when it does not exist (`2024-02-30`) or its year is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...DateTimeParser.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day an instant falls on in UTC.
    public init(_ date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        (self.year, self.month, self.day) = civilFromDays(days)
    }

    /// Midnight UTC of the day.
    public var startOfDay: Date {
        Date(timeIntervalSince1970: Double(DateTimeParser.daysFromCivil(year: self.year, month: self.month, day: self.day) * 86_400))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(self.year, 4))-\(pad(self.month, 2))-\(pad(self.day, 2))"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension ValueIssue {
    static let dateType = ValueIssue("date_type", "Input should be a valid date")
    static let dateFromDatetimeInexact = ValueIssue(
        "date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates")

    static func dateFromDatetimeParsing(_ error: String) -> ValueIssue {
        ValueIssue("date_from_datetime_parsing", "Input should be a valid date or datetime, \(error)", ctx: ["error": .string(error)])
    }
}

extension CalendarDate {
    /// pydantic's `date` from text: the date itself, else a datetime or Unix time at midnight UTC.
    static func parse(_ text: String) throws(ValueIssue) -> CalendarDate {
        let bytes = Array(text.utf8)
        if DateTimeParser.timestamp(bytes) == nil {
            guard bytes.count >= 10 else { throw .dateFromDatetimeParsing("input is too short") }
            if bytes.count > 10, ![UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "_"), UInt8(ascii: " ")].contains(bytes[10]) {
                throw .dateFromDatetimeParsing("invalid datetime separator, expected `T`, `t`, `_` or space")
            }
        }
        let instant: Date
        do {
            // `_` is speedate's fourth separator; the datetime reader takes the other three.
            var normalized = bytes
            if normalized.count > 10, normalized[10] == UInt8(ascii: "_") { normalized[10] = UInt8(ascii: "T") }
            instant = try DateTimeParser.parse(String(decoding: normalized, as: UTF8.self))
        } catch {
            if case .string(let words)? = error.ctx?["error"] { throw .dateFromDatetimeParsing(words) }
            throw .dateFromDatetimeParsing(error.msg.components(separatedBy: ", ").dropFirst().joined(separator: ", "))
        }
        return try Self.exact(instant)
    }

    /// The day of an instant that is midnight UTC; any other time is `date_from_datetime_inexact`.
    static func exact(_ instant: Date) throws(ValueIssue) -> CalendarDate {
        guard instant.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0 else { throw .dateFromDatetimeInexact }
        return CalendarDate(instant)
    }
}

extension CalendarDate: ParameterValue {
    public init(parameterText text: String) throws(ValueIssue) {
        self = try Self.parse(text)
    }
}

extension CalendarDate: Codable {
    /// From `YYYY-MM-DD` (or what else pydantic takes for a `date`); an unknown text throws a
    /// `DecodingError` for other decoders (Apus's reports pydantic's error).
    public init(from decoder: any Decoder) throws {
        self = try TextualValue.decode(from: decoder, Self.parse)
    }

    /// `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        try TextualValue.encode(self, to: encoder)
    }
}

extension CalendarDate: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "string", "format": "date"] }
}

extension LaxJSON {
    /// pydantic's lax `date` from JSON: a string as above, a number as Unix time at midnight UTC.
    static func calendarDate(_ value: JSONValue) -> Result<CalendarDate, ValueIssue> {
        TextualValue.lax(value, typeIssue: .dateType, parse: CalendarDate.parse, unixTime: CalendarDate.exact)
    }
}
