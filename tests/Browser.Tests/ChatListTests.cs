using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The chat list on the page: renaming and deleting chats, with the mouse and by keyboard on a narrow screen.</summary>
public class ChatListTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"web-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task RenameAndDelete_InlineFormAndDialog_SessionListFollows()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        var nativeDialogs = 0;
        chat.Page.Dialog += async (_, dialog) =>
        {
            nativeDialogs++;
            await dialog.DismissAsync();
        };
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Old name");
        var rename = chat.Page.GetByRole(AriaRole.Button, new() { Name = "Rename" });
        var titleField = chat.RenameForm.GetByLabel("Chat title");

        // Escape leaves the title as it was and gives focus back to Rename.
        await rename.ClickAsync();
        await Expect(titleField).ToBeFocusedAsync();
        await Expect(titleField).ToHaveValueAsync("Old name");
        await titleField.PressAsync("Escape");
        await Expect(chat.RenameForm).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("Old name");
        await Expect(rename).ToBeFocusedAsync();

        // A refused rename is explained in words and the form stays open with the text.
        await chat.Page.RouteAsync("**/api/chat/sessions/*", async route =>
        {
            if (route.Request.Method == "PATCH")
            {
                await route.FulfillAsync(new() { Status = 404, ContentType = "application/problem+json", Body = """{"status":404,"title":"Session not found","code":"session_not_found"}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await rename.ClickAsync();
        await titleField.FillAsync("Refused name");
        await titleField.PressAsync("Enter");
        // In the API's own words (its title), then what the person can do.
        await Expect(chat.RenameForm.Locator("#rename-message")).ToHaveTextAsync("Session not found. Pick another chat or start a new one.");
        await Expect(titleField).ToHaveValueAsync("Refused name");
        await chat.Page.UnrouteAllAsync();

        await titleField.FillAsync("   ");
        await chat.RenameForm.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(chat.RenameForm.Locator("#rename-message")).ToContainTextAsync("Type a title");

        await titleField.FillAsync("New name");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("13-rename-inline");
        await titleField.PressAsync("Enter");
        await Expect(chat.RenameForm).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("New name");
        await Expect(chat.Page.Locator("#session-list")).ToContainTextAsync("New name");
        await Expect(rename).ToBeFocusedAsync();

        // Delete asks first; Escape keeps the chat and returns focus to Delete.
        var delete = chat.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true });
        var dialog = chat.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this chat?" });
        await delete.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("\"New name\" and its whole conversation will be deleted.");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("14-delete-dialog");
        await chat.Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(delete).ToBeFocusedAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("New name");

        // A refused delete is explained inside the dialog, which stays open to try again.
        await chat.Page.RouteAsync("**/api/chat/sessions/*", async route =>
        {
            if (route.Request.Method == "DELETE")
            {
                await route.FulfillAsync(new() { Status = 409, ContentType = "application/problem+json", Body = """{"status":409,"title":"Turn in progress","code":"turn_in_progress"}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await delete.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete chat" }).ClickAsync();
        await Expect(dialog.Locator("#confirm-error")).ToHaveTextAsync("Turn in progress. Wait for the reply to finish (or cancel it), then try again.");
        await Expect(dialog).ToBeVisibleAsync();
        await chat.Page.UnrouteAllAsync();

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete chat" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("No chat open");
        await Expect(chat.Page.Locator("#session-list button")).ToHaveCountAsync(0);
        await Expect(chat.Page.Locator("#session-list")).ToHaveTextAsync("No chats yet. Pick an agent above and press New chat.");
        await Expect(chat.Page.GetByLabel("Agent")).ToBeFocusedAsync();
        Assert.Equal(0, nativeDialogs);
    }

    [Fact]
    public async Task NarrowScreen_RenameFormAndDeleteDialog_FitAndWorkByKeyboard()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width: 390, height: 844);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Small screen title");
        var keyboard = chat.Page.Keyboard;

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(chat.RenameForm.GetByLabel("Chat title")).ToBeFocusedAsync();
        await keyboard.TypeAsync("Renamed on a phone");
        Assert.True(await chat.SidewaysOverflowAsync() <= 0, "the rename form makes the page scroll sideways");
        await chat.ScreenshotAsync("15-rename-narrow");
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("Renamed on a phone");

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).FocusAsync();
        await keyboard.PressAsync("Enter");
        var dialog = chat.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this chat?" });
        await Expect(dialog).ToBeVisibleAsync();
        var box = await dialog.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the dialog spans {box.X}..{box.X + box.Width} on a 390px screen");
        await chat.ScreenshotAsync("16-delete-dialog-narrow");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Shift+Tab");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Delete chat" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("No chat open");
    }
}
