//! The query languages (PromQL and LogQL) as the Explore page needs them: a tolerant tokenizer
//! for syntax highlighting, the autocomplete context at the cursor and ranked suggestions,
//! LogQL edits for "filter for / filter out", query history, the Explore URL state, the
//! dashboard that "add to dashboard" creates, and a default unit from metric metadata.

pub mod complete;
pub mod context;
pub mod export;
pub mod history;
pub mod logql_edit;
pub mod metric_unit;
pub mod selector;
pub mod token;
pub mod vocabulary;
pub mod workbench;

pub use complete::{apply, suggest, Suggestion, SuggestionKind, Vocabulary};
pub use context::{completion_context, CompletionContext, CompletionKind};
pub use token::{tokenize, Token, TokenKind};
pub use vocabulary::Language;
pub use workbench::{ExploreState, Pane, Source};
