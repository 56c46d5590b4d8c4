namespace EchoPipeline.Engine;

/// <summary>Placeholder so the project compiles until the engine lands.</summary>
internal static class EngineInfo
{
}
