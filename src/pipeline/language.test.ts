import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('language detection', () => {
  it.each([
    ['en', 'My order has not arrived and nobody is answering my emails, what is going on?'],
    ['es', 'Mi pedido no ha llegado y nadie responde, ¿qué pasa con el servicio?'],
    ['fr', "Ma commande n'est pas arrivée et personne ne répond, c'est pas normal"],
    ['de', 'Meine Bestellung ist noch nicht da und niemand antwortet mir, das ist nicht ok'],
    ['pt', 'O meu pedido não chegou e ninguém responde, isso é muito ruim'],
    ['it', 'Il mio ordine non è arrivato e nessuno risponde, che cosa succede?'],
    ['nl', 'Mijn bestelling is nog niet aangekomen en niemand reageert, dat is niet goed'],
    ['ja', '注文した商品がまだ届きません'],
    ['ru', 'Мой заказ до сих пор не пришёл'],
  ])('%s', (lang, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('says nothing rather than guess on handles and links only', () => {
    expect(detectLanguage('@acme https://t.co/xyz #fail')).toBeNull();
  });
});
