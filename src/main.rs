fn main() {
    dashdeck::perf::mark("dashdeck:main");
    dashdeck::crash::install();
    // A host page that embeds Dashdeck mounts it into its own element (dashdeck::host).
    if dashdeck::host::is_standalone_page() {
        dashdeck::mount(
            leptos::prelude::document()
                .body()
                .expect("index.html has a body"),
            None,
        );
    }
}
