public import Foundation

extension Date: ParameterValue {
    /// Accepts what pydantic accepts for a `datetime`: RFC 3339 (`T`, `t` or a space between
    /// date and time, seconds and fraction optional, `Z` or an offset, naive taken as UTC), a bare
    /// date (midnight UTC), or Unix time in seconds (in milliseconds beyond 2e10).
    public init(parameterText text: String) throws(ValueIssue) {
        self = try DateTimeParser.parse(text)
    }
}

/// pydantic's (speedate's) datetime rules and error words, for text input.
enum DateTimeParser {
    static func parse(_ text: String) throws(ValueIssue) -> Date {
        switch try Self.parseText(text) {
        case .unixTime(let date): return date
        case .wallClock(let time): return time.instant
        }
    }

    /// What a datetime text says: Unix time, or a wall-clock time with its offset (if any).
    enum Parsed {
        case unixTime(Date)
        case wallClock(WallClock)
    }

    /// A date and time of day as written, with the UTC offset it gave (`nil`: none, naive).
    struct WallClock: Hashable, Sendable {
        var days: Int
        var secondOfDay: Int
        var microsecond: Int
        var offset: Int?

        /// The instant (a naive time is taken as UTC).
        var instant: Date {
            let seconds = self.days * 86_400 + self.secondOfDay - (self.offset ?? 0)
            return Date(timeIntervalSince1970: Double(seconds) + Double(self.microsecond) / 1_000_000)
        }
    }

    static func parseText(_ text: String) throws(ValueIssue) -> Parsed {
        let bytes = Array(text.utf8)
        if let timestamp = Self.timestamp(bytes) { return .unixTime(try Self.date(unixTime: timestamp).get()) }
        guard bytes.count >= 10 else { throw .datetimeParsing("input is too short") }
        func number(_ range: Range<Int>, _ what: String) throws(ValueIssue) -> Int {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { throw .datetimeParsing("invalid character in \(what)") }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let year = try number(0..<4, "year")
        guard bytes[4] == UInt8(ascii: "-") else { throw .datetimeParsing("invalid date separator, expected `-`") }
        let month = try number(5..<7, "month")
        guard bytes[7] == UInt8(ascii: "-") else { throw .datetimeParsing("invalid date separator, expected `-`") }
        let day = try number(8..<10, "day")
        guard (1...12).contains(month) else { throw .datetimeParsing("month value is outside expected range of 1-12") }
        guard (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw .datetimeParsing("day value is outside expected range")
        }
        var time = WallClock(days: Self.daysFromCivil(year: year, month: month, day: day), secondOfDay: 0, microsecond: 0, offset: nil)
        guard bytes.count > 10 else { return .wallClock(time) }
        let extra = ValueIssue.datetimeParsing("unexpected extra characters at the end of the input")
        guard [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]) else { throw extra }
        var index = 11
        func twoDigits() throws(ValueIssue) -> Int {
            guard index + 2 <= bytes.count,
                bytes[index] >= 0x30, bytes[index] <= 0x39, bytes[index + 1] >= 0x30, bytes[index + 1] <= 0x39
            else { throw extra }
            defer { index += 2 }
            return Int(bytes[index] - 0x30) * 10 + Int(bytes[index + 1] - 0x30)
        }
        let hour = try twoDigits()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw extra }
        index += 1
        let minute = try twoDigits()
        var second = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            second = try twoDigits()
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                let start = index
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    // Microseconds, as pydantic keeps them; further digits are dropped.
                    if digits < 6 { time.microsecond = time.microsecond * 10 + Int(bytes[index] - 0x30) }
                    digits += 1
                    index += 1
                }
                guard index > start else { throw extra }
                for _ in min(digits, 6)..<6 { time.microsecond *= 10 }
            }
        }
        guard hour < 24, minute < 60, second < 60 else { throw extra }
        time.secondOfDay = hour * 3600 + minute * 60 + second
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
                time.offset = 0
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                let offsetHours = try twoDigits()
                if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
                let offsetMinutes = try twoDigits()
                time.offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
            default:
                throw extra
            }
        }
        guard index == bytes.count else { throw extra }
        return .wallClock(time)
    }

    /// The number of a text that is Unix time.
    static func timestamp(_ bytes: [UInt8]) -> Double? {
        guard !bytes.isEmpty,
            bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Unix time (seconds, or milliseconds when its magnitude exceeds 2e10) as pydantic reads
    /// it: years 1 to 9999 only, refused in pydantic's words.
    static func date(unixTime value: Double) -> Result<Date, ValueIssue> {
        let seconds = abs(value) > 2e10 ? value / 1000 : value
        if seconds >= 253_402_300_800 {
            return .failure(
                ValueIssue(
                    "datetime_parsing", "Input should be a valid datetime, dates after 9999 are not supported as unix timestamps"))
        }
        if seconds < -62_135_596_800 {
            return .failure(ValueIssue("datetime_parsing", "Input should be a valid datetime, year 0 is out of range"))
        }
        return .success(Date(timeIntervalSince1970: seconds))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
