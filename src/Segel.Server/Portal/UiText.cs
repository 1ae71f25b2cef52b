namespace Segel.Server.Portal;

/// <summary>The portal's words: <c>UiText.resx</c> in Bahasa Indonesia (the default), <c>UiText.en.resx</c> in English.</summary>
public sealed class UiText;
