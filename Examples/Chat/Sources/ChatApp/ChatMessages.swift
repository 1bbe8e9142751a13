public import Apus

/// What a client sends: `{"text": "hello"}`.
@Model
public struct ChatCommand {
    public var text: String
}

/// What the room sends to every member.
public struct ChatEvent: Codable, Sendable, Equatable {
    /// `joined`, `left` or `message`.
    public var kind: String
    public var room: String
    /// The member who joined, left or wrote.
    public var user: String
    /// The message, for `message` events.
    public var text: String?
    /// Who is in the room after this event.
    public var members: [String]
}
