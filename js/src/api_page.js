// The "Use via API" page: a Copy button on every snippet.
for (const button of document.querySelectorAll(".nbd-api-copy")) {
  button.addEventListener("click", async () => {
    const code = button.closest(".nbd-api-snippet").querySelector("code").textContent;
    try {
      await navigator.clipboard.writeText(code);
      button.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(button.closest(".nbd-api-snippet").querySelector("code"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
}
