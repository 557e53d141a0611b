/** The PromQL editor: CodeMirror 6 with codemirror-promql (highlighting, completion from vigil's API, linting). */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  completionStatus,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { apiFetch } from '../api.ts';
import { errorRange, queryErrorText } from './query-error.ts';

export interface QueryEditor {
  readonly view: EditorView;
  value(): string;
  /** Underlines the position a server error names (`1:14: parse error: …`); no-op when it names none. */
  showError(message: string): void;
}

export function createEditor(parent: HTMLElement, initial: string, run: () => void): QueryEditor {
  const promql = new PromQLExtension().setComplete({
    remote: {
      url: '',
      httpMethod: 'GET',
      fetchFn: (input, init) => apiFetch(String(input), init),
    },
  });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        history(),
        closeBrackets(),
        bracketMatching(),
        autocompletion(),
        syntaxHighlighting(defaultHighlightStyle),
        placeholder('Expression (press Enter to run, Shift+Enter for a new line)'),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'PromQL expression' }),
        Prec.highest(
          keymap.of([
            {
              // Enter accepts an open completion, and runs the query otherwise.
              key: 'Enter',
              run: (v) => {
                if (completionStatus(v.state) === 'active') return false;
                run();
                return true;
              },
            },
            { key: 'Shift-Enter', run: insertNewline },
          ]),
        ),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
        promql.asExtension(),
      ],
    }),
  });
  return {
    view,
    value: () => view.state.doc.toString(),
    showError(message) {
      const range = errorRange(view.state.doc.toString(), queryErrorText(message));
      if (!range) return;
      const diagnostic: Diagnostic = { ...range, severity: 'error', message };
      view.dispatch(setDiagnostics(view.state, [diagnostic]));
    },
  };
}
