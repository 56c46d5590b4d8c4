namespace EchoPipeline.Cli.Report;

/// <summary>The report's inline stylesheet and script (inline so index.html needs nothing from the network).</summary>
internal static class ReportAssets
{
    public const string Css = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#1b1b1f}
        header{padding:16px 24px;background:#1b1b1f;color:#fafafa} header a{color:#9cf} h1{margin:0 0 4px;font-size:22px}
        main{display:flex;flex-wrap:wrap;gap:16px;padding:16px 24px}
        .card{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 3px #0002;width:760px;box-sizing:border-box;border-left:6px solid #999}
        .card.succeeded{border-color:#2a9d4b} .card.failed,.card.timed_out{border-color:#c62828}
        h2{font-size:17px;margin:4px 0;word-break:break-all} .badge{font-size:12px;padding:2px 6px;border-radius:4px;background:#eee;vertical-align:middle}
        .succeeded .badge{background:#d6f5de} .failed .badge,.timed_out .badge{background:#fbd9d9}
        .meta{color:#666;margin:0 0 8px} .error{background:#fff0f0;padding:6px 8px;border-radius:4px}
        .media{display:flex;gap:12px;align-items:flex-start} figure{margin:0} figcaption{font-size:12px;color:#666}
        img{background:#000;display:block} img.spectrogram{width:440px;height:220px}
        table{border-collapse:collapse;display:inline-table;margin:8px 16px 0 0;vertical-align:top;font-size:13px}
        caption{text-align:left;font-weight:600} th,td{border:1px solid #ddd;padding:2px 8px;text-align:left}
        """;

    public const string Script = """
        for (const audio of document.querySelectorAll('audio')) {
          const mark = state => { audio.dataset.state = state; audio.dataset.duration = String(audio.duration || 0); };
          audio.addEventListener('loadedmetadata', () => mark('loaded'));
          audio.addEventListener('error', () => mark('error'));
          audio.load();
        }
        for (const img of document.images) {
          const mark = () => { img.dataset.state = img.naturalWidth > 0 ? 'loaded' : 'error'; };
          if (img.complete) mark(); else { img.addEventListener('load', mark); img.addEventListener('error', mark); }
        }
        """;
}
