import { ref, shallowRef, watch, type Ref } from 'vue';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { DeckView } from '@protocol';

export type DeckState = 'none' | 'loading' | 'ready' | 'failed';

/**
 * The PDF of the deck shown, loaded once per deck in this browser; pdf.js
 * itself is loaded with the first slides, not with every lesson page.
 */
export function useSlideDeck(deck: Ref<DeckView | null>) {
  const pdf = shallowRef<PDFDocumentProxy | null>(null);
  const state = ref<DeckState>('none');
  watch(
    deck,
    async (next, previous) => {
      if (next?.id === previous?.id && pdf.value) return;
      pdf.value = null;
      if (!next) {
        state.value = 'none';
        return;
      }
      state.value = 'loading';
      try {
        const { loadPdf } = await import('./pdfDocument');
        const loaded = await loadPdf(next.id, next.url);
        if (deck.value?.id !== next.id) return;
        pdf.value = loaded;
        state.value = 'ready';
      } catch {
        state.value = 'failed';
      }
    },
    { immediate: true },
  );
  return { pdf, state };
}
