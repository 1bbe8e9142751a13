import Apus
import ApusTesting
import ChatApp
import NIOCore
import Testing

/// The chat example (Examples/Chat): rooms, broadcasts, typed messages, refusals.
@Suite("Chat example")
struct ChatExampleTests {
    @Test("two members: joins, a message to the room, a leave; the members endpoint follows")
    func broadcast() async throws {
        try await TestClient.run(makeChatApp()) { client in
            try await client.webSocket("/ws/lobby?user=ann") { ann in
                #expect(try await ann.receiveJSON() == ["kind": "joined", "room": "lobby", "user": "ann", "text": nil, "members": ["ann"]])
                try await client.webSocket("/ws/lobby?user=bob") { bob in
                    let joined: JSONValue = ["kind": "joined", "room": "lobby", "user": "bob", "text": nil, "members": ["ann", "bob"]]
                    #expect(try await ann.receiveJSON() == joined)
                    #expect(try await bob.receiveJSON() == joined)
                    let members = try await client.get("/rooms/lobby")
                    #expect(members.status == .ok)
                    #expect(members.text == #"["ann","bob"]"#)
                    try await bob.send(json: #"{"text":"hello ✓"}"#)
                    let message: JSONValue = [
                        "kind": "message", "room": "lobby", "user": "bob", "text": "hello ✓", "members": ["ann", "bob"],
                    ]
                    #expect(try await ann.receiveJSON() == message)
                    #expect(try await bob.receiveJSON() == message)
                }
                #expect(try await ann.receiveJSON() == ["kind": "left", "room": "lobby", "user": "bob", "text": nil, "members": ["ann"]])
            }
            // Another room is another audience.
            let empty = try await client.get("/rooms/lobby")
            #expect(empty.text == "[]")
        }
    }

    @Test("a message that is not {\"text\": ...} closes with 1003; an invalid user name refuses the socket with 1008")
    func invalidInput() async throws {
        try await TestClient.run(makeChatApp()) { client in
            try await client.webSocket("/ws/lobby?user=ann") { ann in
                _ = try await ann.receiveJSON()
                try await ann.send(json: #"{"txt":"typo"}"#)
                await #expect(throws: WebSocketDisconnect(code: .unsupportedData, reason: #"send {"text": "..."}"#)) {
                    try await ann.receive()
                }
            }
            do {
                try await client.webSocket("/ws/lobby?user=") { _ in }
                Issue.record("accepted an empty user name")
            } catch let refusal as WebSocketDisconnect {
                #expect(refusal.code == .policyViolation)
                #expect(refusal.reason.contains(#""type":"string_too_short","loc":["query","user"]"#))
            }
        }
    }
}
