public import Apus
import Foundation

/// Who is in which room: each member is a connected ``WebSocket``.
///
/// An actor, so joins, leaves and broadcasts from many connections never race. A broadcast
/// takes the members under the actor, then sends outside it, to all at once: one slow
/// member delays that broadcast, never the room's state.
public actor ChatRooms {
    private var rooms: [String: [UUID: (name: String, socket: WebSocket)]] = [:]

    public init() {}

    /// Adds a member; returns the names now in the room.
    func join(_ room: String, id: UUID, name: String, socket: WebSocket) -> [String] {
        self.rooms[room, default: [:]][id] = (name, socket)
        return self.names(in: room)
    }

    /// Removes a member; returns the names left.
    func leave(_ room: String, id: UUID) -> [String] {
        self.rooms[room]?[id] = nil
        if self.rooms[room]?.isEmpty == true { self.rooms[room] = nil }
        return self.names(in: room)
    }

    /// The names of a room's members, sorted.
    public func names(in room: String) -> [String] {
        (self.rooms[room] ?? [:]).values.map(\.name).sorted()
    }

    private func sockets(in room: String) -> [WebSocket] {
        (self.rooms[room] ?? [:]).values.map(\.socket)
    }

    /// Sends `event` to every member of `room`; a member that left meanwhile is skipped.
    func broadcast(_ event: ChatEvent, in room: String) async {
        let sockets = self.sockets(in: room)
        await withTaskGroup(of: Void.self) { group in
            for socket in sockets {
                group.addTask { try? await socket.sendJSON(event) }
            }
        }
    }
}
