fn main() {
    dashdeck::crash::install();
    leptos::mount::mount_to_body(dashdeck::App);
}
