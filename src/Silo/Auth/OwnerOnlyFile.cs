using System.Text;

namespace GridGov.Realtime.Silo.Auth;

/// <summary>Secret files readable and writable by the owner only (0600), created atomically.</summary>
internal static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> unless it already exists. The file is
    /// created 0600 under a temporary name and moved into place, so readers never see a partial file and
    /// a concurrent writer loses cleanly. Returns false when the file already existed.
    /// </summary>
    public static bool TryCreate(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) streamOptions.UnixCreateMode = Mode;
        try
        {
            using (var stream = new FileStream(temp, streamOptions))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, Mode);
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Tightens an existing secret file to 0600; true when it had looser permissions.</summary>
    public static bool Tighten(string path)
    {
        if (OperatingSystem.IsWindows()) return false;
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~Mode) == 0) return false;
        File.SetUnixFileMode(path, Mode);
        return true;
    }
}
