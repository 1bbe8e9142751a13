// Endpoints for Benchmarks/load/growth.py: how the cost of a request grows with its work
// (a JSON body of 1 KiB to 1 MiB, a 1 MiB response, 1 to 100 query parameters, 10 or 1,000
// routes), the same on the Go and Node servers in Benchmarks/load/peers/.
import Apus
import NIOCore

@Model
struct Document {
    var items: [Item]
}

@Model
struct OneQuery {
    var p0: Int
}

@Model
struct TenQueries {
    var p0: Int
    var p1: Int
    var p2: Int
    var p3: Int
    var p4: Int
    var p5: Int
    var p6: Int
    var p7: Int
    var p8: Int
    var p9: Int
}

@Model
struct HundredQueries {
    var p0: Int
    var p1: Int
    var p2: Int
    var p3: Int
    var p4: Int
    var p5: Int
    var p6: Int
    var p7: Int
    var p8: Int
    var p9: Int
    var p10: Int
    var p11: Int
    var p12: Int
    var p13: Int
    var p14: Int
    var p15: Int
    var p16: Int
    var p17: Int
    var p18: Int
    var p19: Int
    var p20: Int
    var p21: Int
    var p22: Int
    var p23: Int
    var p24: Int
    var p25: Int
    var p26: Int
    var p27: Int
    var p28: Int
    var p29: Int
    var p30: Int
    var p31: Int
    var p32: Int
    var p33: Int
    var p34: Int
    var p35: Int
    var p36: Int
    var p37: Int
    var p38: Int
    var p39: Int
    var p40: Int
    var p41: Int
    var p42: Int
    var p43: Int
    var p44: Int
    var p45: Int
    var p46: Int
    var p47: Int
    var p48: Int
    var p49: Int
    var p50: Int
    var p51: Int
    var p52: Int
    var p53: Int
    var p54: Int
    var p55: Int
    var p56: Int
    var p57: Int
    var p58: Int
    var p59: Int
    var p60: Int
    var p61: Int
    var p62: Int
    var p63: Int
    var p64: Int
    var p65: Int
    var p66: Int
    var p67: Int
    var p68: Int
    var p69: Int
    var p70: Int
    var p71: Int
    var p72: Int
    var p73: Int
    var p74: Int
    var p75: Int
    var p76: Int
    var p77: Int
    var p78: Int
    var p79: Int
    var p80: Int
    var p81: Int
    var p82: Int
    var p83: Int
    var p84: Int
    var p85: Int
    var p86: Int
    var p87: Int
    var p88: Int
    var p89: Int
    var p90: Int
    var p91: Int
    var p92: Int
    var p93: Int
    var p94: Int
    var p95: Int
    var p96: Int
    var p97: Int
    var p98: Int
    var p99: Int
}

struct QuerySum: Codable, Sendable {
    var count: Int
    var sum: Int
}

/// Registers the growth endpoints and `ROUTES` routes `/r{i}/{id}` (0 unless set).
func registerGrowthEndpoints(on app: App, routes: Int) {
    // Decode and validate the body, then encode it back.
    app.post("/growth/document", Body<Document>()) { document async in document }

    let megabyte = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
    app.get("/growth/megabyte") { () async in
        Response(headers: ["Content-Type": "application/octet-stream"], body: megabyte)
    }

    app.get("/growth/query1", Query<OneQuery>()) { q async in QuerySum(count: 1, sum: q.p0) }
    app.get("/growth/query10", Query<TenQueries>()) { q async in
        QuerySum(count: 10, sum: [q.p0, q.p1, q.p2, q.p3, q.p4, q.p5, q.p6, q.p7, q.p8, q.p9].reduce(0, +))
    }
    app.get("/growth/query100", Query<HundredQueries>()) { q async in
        let values: [Int] = [
            q.p0, q.p1, q.p2, q.p3, q.p4, q.p5, q.p6, q.p7, q.p8, q.p9,
            q.p10, q.p11, q.p12, q.p13, q.p14, q.p15, q.p16, q.p17, q.p18, q.p19,
            q.p20, q.p21, q.p22, q.p23, q.p24, q.p25, q.p26, q.p27, q.p28, q.p29,
            q.p30, q.p31, q.p32, q.p33, q.p34, q.p35, q.p36, q.p37, q.p38, q.p39,
            q.p40, q.p41, q.p42, q.p43, q.p44, q.p45, q.p46, q.p47, q.p48, q.p49,
            q.p50, q.p51, q.p52, q.p53, q.p54, q.p55, q.p56, q.p57, q.p58, q.p59,
            q.p60, q.p61, q.p62, q.p63, q.p64, q.p65, q.p66, q.p67, q.p68, q.p69,
            q.p70, q.p71, q.p72, q.p73, q.p74, q.p75, q.p76, q.p77, q.p78, q.p79,
            q.p80, q.p81, q.p82, q.p83, q.p84, q.p85, q.p86, q.p87, q.p88, q.p89,
            q.p90, q.p91, q.p92, q.p93, q.p94, q.p95, q.p96, q.p97, q.p98, q.p99,
        ]
        return QuerySum(count: 100, sum: values.reduce(0, +))
    }

    for index in 0..<routes {
        app.get("/r\(index)/{id}", Path<Int>("id")) { id async in QuerySum(count: index, sum: id) }
    }
}
