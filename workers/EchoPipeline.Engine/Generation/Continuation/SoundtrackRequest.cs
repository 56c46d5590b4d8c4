namespace EchoPipeline.Engine.Generation.Continuation;

/// <summary>
/// One soundtrack to generate: its windows (<see cref="SoundtrackWindow"/>) and the request every window is made from
/// (window i: Image = its frame, Seed = Template.Seed + i).
/// </summary>
public sealed record SoundtrackRequest(IReadOnlyList<SoundtrackWindow> Windows, EchoRequest Template);
